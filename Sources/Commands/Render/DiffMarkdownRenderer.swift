import Core
import Model

/// The diff report as Markdown: the sides as a table, the resets as a list, one table per section.
enum DiffMarkdownRenderer {
    static func render(_ report: DiffReport) -> String {
        let d = report.diff
        var out = ["# pgadvisor diff — \(cell(d.new.database))", "", "| | |", "|---|---|"]
        out += DiffRenderer.sideLines(report).map { "| \($0.label) | \(cell($0.text)) |" }
        let resets = DiffRenderer.resetLines(d)
        if !resets.isEmpty || !d.caveats.isEmpty {
            out += ["", "## Statistics resets and what they change", ""]
            out += (resets + d.caveats).map { "- \(cell($0))" }
        }
        out += ["", "**\(DiffRenderer.countsLine(d))**"]
        for section in DiffSections.all(d) {
            out += ["", "## \(section.title)", ""]
            if !section.notes.isEmpty { out += section.notes + [""] }
            out.append("| " + section.headers.map(cell).joined(separator: " | ") + " |")
            out.append("|" + section.headers.indices.map { section.numeric.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|")
            out += section.rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func cell(_ text: String) -> String { SummaryRenderer.markdownCell(text) }
}
