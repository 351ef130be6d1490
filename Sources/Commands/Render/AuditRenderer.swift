import Core
import Foundation
import Model
import Planner

/// What `pgadvisor audit` prints: ranked findings, skipped rules, sources not collected, and
/// an overview of the snapshot.
struct AuditReport {
    var snapshot: Snapshot
    var result: AuditResult
    var summary: SnapshotSummary

    init(snapshot: Snapshot, result: AuditResult, top: Int) {
        self.snapshot = snapshot
        self.result = result
        self.summary = SnapshotSummary(snapshot, top: top)
    }
}

enum AuditRenderer {
    /// The JSON report's schema version: raised when a field changes meaning or goes away.
    static let schemaVersion = 1

    static func render(_ report: AuditReport, as format: OutputFormat, colour: Bool = false) throws -> String {
        switch format {
        case .text: return text(report, style: TextStyle(enabled: colour))
        case .markdown: return markdown(report)
        case .json: return try JSONOutput.encode(json(report))
        }
    }

    // MARK: Text

    static func text(_ report: AuditReport, style: TextStyle) -> String {
        let r = report.result
        var out = [style.bold("pgadvisor audit — \(report.snapshot.server.database)"), ""]
        out += SummaryRenderer.textHeader(report.summary)
        out.append("")
        out.append(style.bold(countsLine(r)))
        for (i, finding) in r.findings.enumerated() {
            out.append("")
            out += textFinding(finding, number: i + 1, style: style)
        }
        if !r.skipped.isEmpty {
            out += ["", style.bold("Skipped rules (could not judge this snapshot)")]
            let width = r.skipped.map(\.rule.count).max() ?? 0
            for skip in r.skipped {
                out.append("  " + skip.rule.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + skip.reason)
            }
        }
        if !r.disabled.isEmpty {
            out += ["", "Disabled by configuration: " + r.disabled.joined(separator: ", ")]
        }
        let sources = SummaryRenderer.textSources(report.summary)
        if !sources.isEmpty { out += [""] + sources.enumerated().map { $0.offset == 0 ? style.bold($0.element) : $0.element } }
        out += ["", style.bold("Overview")]
        out += SummaryRenderer.textOverview(report.summary)
        return out.joined(separator: "\n") + "\n"
    }

    static func countsLine(_ r: AuditResult) -> String {
        let n = r.findings.count
        var line = n == 0 ? "No findings" : "\(n) finding\(n == 1 ? "" : "s"): "
            + Severity.allCases.reversed().map { "\(r.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        line += " · \(r.evaluated.count) rules run"
        if !r.skipped.isEmpty { line += ", \(r.skipped.count) skipped" }
        if !r.disabled.isEmpty { line += ", \(r.disabled.count) disabled" }
        return line
    }

    static func textFinding(_ f: Finding, number: Int, style: TextStyle) -> [String] {
        var out: [String] = []
        let label = f.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
        out.append("\(String(number).leftPadded(to: 3)). \(style.severity(f.severity, label)) \(style.bold(f.target.display))  [\(f.rule)]")
        let indent = "     "
        out.append(indent + f.message)
        let (numbers, texts) = split(f.evidence)
        if !numbers.isEmpty {
            out.append(indent + "evidence: " + numbers.map { "\($0.label) \(display($0.value))" }.joined(separator: " · "))
        }
        for item in texts {
            out.append(indent + "\(item.label): " + Format.oneLine(display(item.value), limit: 160))
        }
        if !f.impact.summary.isEmpty { out.append(indent + "impact: \(f.impact.summary)") }
        for remediation in f.remediations {
            let sql = RemediationSQL.sql(remediation)
            if sql.isEmpty {
                out.append(indent + "then: " + RemediationSQL.summary(remediation))
            } else {
                out.append(indent + "fix:  " + style.sql(sql))
                if case .alterSystem(_, _, true) = remediation { out.append(indent + "      (takes effect after a restart)") }
            }
        }
        for note in f.notes { out.append(indent + "note: " + note) }
        return out
    }

    /// Evidence that reads on one line (numbers) and evidence that needs its own (statements, definitions).
    static func split(_ evidence: [Evidence]) -> ([Evidence], [Evidence]) {
        var numbers: [Evidence] = []
        var texts: [Evidence] = []
        for item in evidence {
            switch item.value {
            case .text(let t) where t.count > 40 || t.contains(" "): texts.append(item)
            case .list(let l) where l.joined(separator: ", ").count > 60: texts.append(item)
            default: numbers.append(item)
            }
        }
        return (numbers, texts)
    }

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

    // MARK: Markdown

    static func markdown(_ report: AuditReport) -> String {
        let r = report.result
        var out = ["# pgadvisor audit — \(SummaryRenderer.markdownCell(report.snapshot.server.database))", ""]
        out += SummaryRenderer.markdownHeader(report.summary)
        out += ["**\(countsLine(r))**", ""]
        if !r.findings.isEmpty {
            out += ["## Findings", ""]
            out.append("| # | severity | rule | target | impact |")
            out.append("|---:|---|---|---|---|")
            for (i, f) in r.findings.enumerated() {
                out.append("| \(i + 1) | \(f.severity.rawValue) | \(f.rule) | `\(SummaryRenderer.markdownCell(f.target.display))` | "
                    + "\(SummaryRenderer.markdownCell(f.impact.summary)) |")
            }
            for (i, f) in r.findings.enumerated() {
                out += ["", "### \(i + 1). \(f.severity.rawValue.uppercased()) · \(f.rule) · `\(f.target.display)`", ""]
                out.append(f.message)
                out.append("")
                out.append("| evidence | value |")
                out.append("|---|---|")
                for item in f.evidence {
                    out.append("| \(item.label) | \(SummaryRenderer.markdownCell(Format.oneLine(display(item.value), limit: 300))) |")
                }
                let sql = f.remediations.map(RemediationSQL.sql).filter { !$0.isEmpty }
                if !sql.isEmpty { out += ["", "```sql"] + sql + ["```"] }
                let manual = f.remediations.filter { RemediationSQL.sql($0).isEmpty }.map(RemediationSQL.summary)
                if !manual.isEmpty { out.append(""); out += manual.map { "- Then: \($0)" } }
                if !f.notes.isEmpty { out.append(""); out += f.notes.map { "> \($0)" } }
            }
        }
        if !r.skipped.isEmpty {
            out += ["", "## Skipped rules", "", "| rule | reason |", "|---|---|"]
            out += r.skipped.map { "| \($0.rule) | \(SummaryRenderer.markdownCell($0.reason)) |" }
        }
        if !r.disabled.isEmpty { out += ["", "Disabled by configuration: " + r.disabled.joined(separator: ", ")] }
        let sources = SummaryRenderer.markdownSources(report.summary, level: "##")
        if !sources.isEmpty { out += [""] + sources }
        out += ["", "## Overview", ""]
        out += SummaryRenderer.markdownOverview(report.summary, level: "###")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    struct JSONReport: Encodable {
        var schemaVersion: Int
        var generator: String
        var server: JSONServer
        var counts: [String: Int]
        var findings: [JSONFinding]
        var skipped: [JSONSkipped]
        var disabled: [String]
        var sources: [SnapshotSummary.SkippedSource]
        var overview: JSONOverview
    }

    struct JSONServer: Encodable {
        var version: String
        var versionNumber: Int
        var database: String
        var role: String
        /// What the role may see: `superuser`, `pg_monitor`, `pg_read_all_stats` or `limited`.
        var visibility: String
        var collectedAt: Timestamp
        var statisticsSince: Timestamp?
    }

    struct JSONFinding: Encodable {
        var rule: String
        var severity: String
        var target: String
        var targetKind: String
        var message: String
        var evidence: [String: JSONValue]
        var actions: [JSONAction]
        var impact: JSONImpact
        var notes: [String]
    }

    struct JSONAction: Encodable {
        var kind: String
        var sql: String
        var summary: String
        var rollback: String?
    }

    struct JSONImpact: Encodable {
        var score: Double
        var summary: String
    }

    struct JSONSkipped: Encodable {
        var rule: String
        var reason: String
    }

    struct JSONOverview: Encodable {
        var sizes: SnapshotSummary.Sizes
        var statements: SnapshotSummary.Statements
    }

    static func json(_ report: AuditReport) -> JSONReport {
        let s = report.snapshot
        return JSONReport(
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)",
            server: JSONServer(
                version: s.server.version, versionNumber: s.server.versionNumber, database: s.server.database,
                role: report.summary.server.role, visibility: report.summary.server.visibility, collectedAt: s.collectedAt, statisticsSince: s.database?.statsReset),
            counts: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, report.result.count($0)) }),
            findings: report.result.findings.map { f in
                JSONFinding(
                    rule: f.rule, severity: f.severity.rawValue, target: f.target.display, targetKind: f.target.kind,
                    message: f.message,
                    evidence: Dictionary(f.evidence.map { ($0.key, JSONValue($0.value)) }, uniquingKeysWith: { a, _ in a }),
                    actions: f.remediations.map {
                        JSONAction(kind: $0.kind, sql: RemediationSQL.sql($0), summary: RemediationSQL.summary($0),
                                   rollback: RemediationSQL.rollback($0))
                    },
                    impact: JSONImpact(score: (f.impact.score * 1_000_000).rounded() / 1_000_000, summary: f.impact.summary),
                    notes: f.notes)
            },
            skipped: report.result.skipped.map { JSONSkipped(rule: $0.rule, reason: $0.reason) },
            disabled: report.result.disabled, sources: report.summary.skipped,
            overview: JSONOverview(sizes: report.summary.sizes, statements: report.summary.statements))
    }
}

/// An evidence value as JSON: numbers stay numbers (bytes and counts as integers, ratios as
/// fractions, durations in milliseconds), lists stay arrays.
enum JSONValue: Encodable {
    case int(Int64), double(Double), string(String), bool(Bool), strings([String])

    init(_ value: EvidenceValue) {
        switch value {
        case .count(let n), .bytes(let n): self = .int(n)
        case .milliseconds(let x), .ratio(let x), .number(let x): self = .double((x * 1_000_000).rounded() / 1_000_000)
        case .text(let t): self = .string(t)
        case .flag(let b): self = .bool(b)
        case .timestamp(let t): self = .string(t.iso8601)
        case .list(let l): self = .strings(l)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let n): try container.encode(n)
        case .double(let x): try container.encode(x)
        case .string(let s): try container.encode(s)
        case .bool(let b): try container.encode(b)
        case .strings(let l): try container.encode(l)
        }
    }
}

/// ANSI styling for text reports, only when printing to a terminal and NO_COLOR is not set.
struct TextStyle {
    var enabled: Bool

    static func forStandardOutput() -> TextStyle {
        TextStyle(enabled: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb")
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func sql(_ text: String) -> String { wrap(text, "36") }

    func severity(_ severity: Severity, _ text: String) -> String {
        switch severity {
        case .critical: wrap(text, "1;31")
        case .warning: wrap(text, "33")
        case .info: wrap(text, "34")
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
