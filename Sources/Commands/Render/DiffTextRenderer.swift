import Core
import Model

/// The diff report for a terminal: the two sides, the resets and what they mean, the counts,
/// then one table per section.
enum DiffTextRenderer {
    static func render(_ report: DiffReport, style: TextStyle) -> String {
        let d = report.diff
        var out = [style.bold("pgadvisor diff — \(d.new.database)"), ""]
        for (label, text) in DiffRenderer.sideLines(report) {
            out.append(label.padding(toLength: 7, withPad: " ", startingAt: 0) + text)
        }
        let resets = DiffRenderer.resetLines(d)
        if !resets.isEmpty || !d.caveats.isEmpty {
            out += ["", style.bold("Statistics resets and what they change")]
            out += resets.map { "  " + $0 }
            out += d.caveats.map { "  - " + $0 }
        }
        out += ["", style.bold(DiffRenderer.countsLine(d))]
        for section in DiffSections.all(d) {
            out += ["", style.bold(section.title)]
            out += section.notes.map { "  " + $0 }
            out.append(TextTable(headers: section.headers, alignments: section.alignments, rows: section.rows).render())
        }
        // An empty last cell leaves the column gap behind.
        return out.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }
}
