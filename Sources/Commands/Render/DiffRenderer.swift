import Core
import Model

/// The diff report in every format: the entry point picks the renderer and holds what the
/// forms share (the header facts and the counts line).
enum DiffRenderer {
    static let formats: [OutputFormat] = [.text, .markdown, .json, .html]

    static func render(_ report: DiffReport, as format: OutputFormat, colour: Bool = false) throws -> String {
        switch format {
        case .text: return DiffTextRenderer.render(report, style: TextStyle(enabled: colour))
        case .markdown: return DiffMarkdownRenderer.render(report)
        case .json: return try JSONOutput.encode(DiffJSON.report(report))
        case .html: return DiffHTMLRenderer.render(report)
        case .junit, .github: throw OutputFormat.Unsupported(format: format)
        }
    }

    /// `OLD  2026-12-04T22:50:00.000000Z  runs/20261204T225000Z  (PostgreSQL 15.10)` and NEW's line.
    static func sideLines(_ report: DiffReport) -> [(label: String, text: String)] {
        let d = report.diff
        func line(_ side: SnapshotDiff.Side, _ source: String) -> String {
            "\(side.collectedAt.iso8601)  \(source)  (database \(side.database), PostgreSQL \(side.version))"
        }
        var lines = [("OLD", line(d.old, report.oldSource)), ("NEW", line(d.new, report.newSource))]
        var window = Format.age(seconds: max(0, d.windowSeconds))
        if let g = d.databaseGrowth {
            window += "; database \(Format.bytes(g.oldBytes ?? 0)) → \(Format.bytes(g.newBytes))"
        }
        lines.append(("window", window))
        return lines
    }

    /// "2 new findings (1 warning), 1 resolved · 1 statement regressed · …", or "No change".
    static func countsLine(_ d: SnapshotDiff) -> String {
        guard !d.isEmpty else { return "No change between the snapshots" }
        func n(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        var parts: [String] = []
        let f = d.findings
        var findings = n(f.new.count, "new finding", "new findings")
        let bySeverity = Severity.allCases.reversed().compactMap { s in
            let c = f.new.filter { $0.finding.severity == s }.count
            return c > 0 ? "\(c) \(s.rawValue)" : nil
        }
        if !bySeverity.isEmpty { findings += " (\(bySeverity.joined(separator: ", ")))" }
        findings += ", \(f.resolved.count) resolved"
        if !f.severityChanged.isEmpty { findings += ", \(n(f.severityChanged.count, "severity change", "severity changes"))" }
        if !f.notJudged.isEmpty { findings += ", \(f.notJudged.count) no longer judged" }
        parts.append(findings)
        parts.append(n(d.regressions.count, "statement regressed", "statements regressed"))
        parts.append(n(d.newStatements.count, "new heavy statement", "new heavy statements"))
        let unused = d.indexes.filter { $0.kind == .becameUnused }.count
        let used = d.indexes.filter { $0.kind == .becameUsed }.count
        parts.append("\(n(unused, "index", "indexes")) became unused, \(used) became used")
        parts.append(n(d.settings.count, "setting changed", "settings changed"))
        return parts.joined(separator: " · ")
    }

    /// The resets, one line each with its evidence.
    static func resetLines(_ d: SnapshotDiff) -> [String] {
        var out: [String] = []
        if let s = d.resets.statements { out.append("pg_stat_statements reset: " + s.evidence.joined(separator: "; ")) }
        if let r = d.resets.relations { out.append("table and index counters reset: " + r.evidence.joined(separator: "; ")) }
        return out
    }
}
