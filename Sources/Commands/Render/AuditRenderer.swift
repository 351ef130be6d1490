import Core
import Model

/// The audit report in every format: the entry point picks the format's renderer
/// (`AuditTextRenderer`, `AuditMarkdownRenderer`, `AuditJSON`, `AuditHTMLRenderer`) and holds what text and Markdown share.
enum AuditRenderer {
    static let formats: [OutputFormat] = [.text, .markdown, .json, .html]

    static func render(_ report: AuditReport, as format: OutputFormat, colour: Bool = false) throws -> String {
        switch format {
        case .text: return AuditTextRenderer.render(report, style: TextStyle(enabled: colour))
        case .markdown: return AuditMarkdownRenderer.render(report)
        case .json: return try JSONOutput.encode(AuditJSON.report(report))
        case .html: return AuditHTMLRenderer.render(report)
        case .junit, .github: throw OutputFormat.Unsupported(format: format)
        }
    }

    /// "3 findings: 1 critical, 2 warning, 0 info · 20 rules run, 2 skipped", the line under the
    /// header; when a finding's fix also fixes others, the problems are counted once:
    /// "2 problems: 1 critical, 1 warning, 0 info (3 findings, 1 fixed by another's fix) · …".
    static func countsLine(_ r: AuditResult) -> String {
        let n = r.findings.count
        let problems = r.problemTotal
        var line: String
        if n == 0 {
            line = "No findings"
        } else if problems == n {
            line = "\(n) finding\(n == 1 ? "" : "s"): "
                + Severity.allCases.reversed().map { "\(r.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        } else {
            line = "\(problems) problem\(problems == 1 ? "" : "s"): "
                + Severity.allCases.reversed().map { "\(r.problemCount($0)) \($0.rawValue)" }.joined(separator: ", ")
                + " (\(n) findings, \(n - problems) fixed by another finding's fix: see 'fixed by')"
        }
        line += " · \(r.evaluated.count) rules run"
        if !r.skipped.isEmpty { line += ", \(r.skipped.count) skipped" }
        if !r.disabled.isEmpty { line += ", \(r.disabled.count) disabled" }
        return line
    }

    /// An evidence value as a reader reads it: sizes, durations and percentages formatted.
    static func display(_ value: EvidenceValue) -> String {
        switch value {
        case .count(let n): Format.count(n)
        case .bytes(let b): Format.bytes(b)
        case .milliseconds(let ms): Format.duration(ms: ms)
        case .ratio(let r): Format.percent(r)
        case .number(let x): Format.decimal(x)
        case .text(let t): t
        case .flag(let b): b ? "yes" : "no"
        case .timestamp(let t): t.iso8601
        case .list(let l): l.joined(separator: ", ")
        }
    }
}
