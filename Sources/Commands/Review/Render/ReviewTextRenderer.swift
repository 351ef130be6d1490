import Core

/// The review as plain text: one line per statement, its reasons and fixes indented below.
enum ReviewTextRenderer {
    static func render(_ report: ReviewReport) -> String {
        var lines = ["pgadvisor review — \(report.target), \(ReviewRenderer.summary(report))", ""]
        for statement in report.statements {
            lines += block(statement)
        }
        if !report.notes.isEmpty {
            lines += ["", "Notes:"]
            lines += report.notes.map { "- " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func block(_ s: StatementReview) -> [String] {
        let label = ["pass": "PASS", "warning": "WARN", "fail": "FAIL"][s.verdict.rawValue] ?? s.verdict.rawValue
        var head = "\(label)  \(s.location)  \(ReviewRenderer.excerpt(s, limit: 70))"
        if let plan = ReviewRenderer.planSummary(s) { head += "  (\(plan))" }
        var lines = [head]
        for finding in s.findings {
            let at = finding.line.map { " [line \($0)\(finding.column.map { ", column \($0)" } ?? "")]" } ?? ""
            lines.append("      \(finding.check)\(at): \(finding.message)")
            if let fix = finding.fix { lines.append("        fix: \(fix)") }
        }
        lines += s.notes.map { "      note: \($0)" }
        return lines
    }
}
