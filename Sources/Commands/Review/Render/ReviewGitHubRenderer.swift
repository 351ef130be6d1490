import Core

/// The review as GitHub Actions workflow commands: one annotation per reason, `::error` at or
/// above the gate (`--fail-on`, else `fail`), `::warning` below it, at the file, line and
/// column it concerns; then a plain summary line for the log.
enum ReviewGitHubRenderer {
    static func render(_ report: ReviewReport, gate: ReviewVerdict = .fail) -> String {
        var lines: [String] = []
        for statement in report.statements {
            for finding in statement.findings {
                let level = finding.verdict >= gate ? "error" : "warning"
                let properties = [
                    ("file", statement.file), ("line", String(finding.line ?? statement.line)),
                    ("col", String(finding.column ?? (finding.line == nil ? statement.column : 1))),
                    ("title", "pgadvisor \(finding.check)"),
                ].map { "\($0.0)=\(property($0.1))" }.joined(separator: ",")
                let message = finding.message + (finding.fix.map { "\nfix: \($0)" } ?? "")
                lines.append("::\(level) \(properties)::\(data(message))")
            }
        }
        for note in report.notes { lines.append("::notice title=pgadvisor review::\(data(note))") }
        lines.append("pgadvisor review — \(report.target), \(ReviewRenderer.summary(report))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A message: `%`, CR and LF escaped as GitHub requires.
    static func data(_ value: String) -> String {
        value.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A property value: as a message, plus `:` and `,`, which separate properties.
    static func property(_ value: String) -> String {
        data(value).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
