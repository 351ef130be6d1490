import Core

/// The review as GitHub-flavoured Markdown: a table of every statement, then the reasons of
/// each statement that did not pass, with its fix.
enum ReviewMarkdownRenderer {
    static func render(_ report: ReviewReport) -> String {
        var lines = ["# pgadvisor review", "", "\(report.target): \(ReviewRenderer.summary(report)).", ""]
        lines += ["| Verdict | Location | Statement | Plan | Checks |", "| --- | --- | --- | --- | --- |"]
        for s in report.statements {
            let checks = s.findings.map { "`\($0.check)`" }.joined(separator: ", ")
            lines.append("| \(s.verdict.rawValue) | \(cell(s.location)) | \(code(ReviewRenderer.excerpt(s, limit: 60))) "
                + "| \(cell(ReviewRenderer.planSummary(s) ?? "")) | \(checks) |")
        }
        let flagged = report.statements.filter { !$0.findings.isEmpty || !$0.notes.isEmpty }
        if !flagged.isEmpty { lines += ["", "## Reasons"] }
        for s in flagged {
            lines += ["", "### \(s.verdict.rawValue): \(cell(s.location))", "", "```sql", s.text, "```", ""]
            for finding in s.findings {
                lines.append("- **\(finding.check)** (\(finding.verdict.rawValue)): \(cell(finding.message))")
                if let fix = finding.fix { lines.append("  - fix: " + (fix.hasSuffix(";") ? code(fix) : cell(fix))) }
            }
            lines += s.notes.map { "- note: \(cell($0))" }
        }
        if !report.notes.isEmpty {
            lines += ["", "## Notes", ""] + report.notes.map { "- " + cell($0) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe in a table cell: pipes escaped, one line.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Inline code that survives backticks and pipes in the text.
    private static func code(_ text: String) -> String {
        let flat = cell(text)
        return flat.contains("`") ? "`` \(flat) ``" : "`\(flat)`"
    }
}
