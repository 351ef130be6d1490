import Core
import Model
import Planner

/// The audit report as JSON (`audit --format json`): versioned shapes, numbers kept as numbers.
enum AuditJSON {
    /// The JSON report's schema version: raised when a field changes meaning or goes away.
    static let schemaVersion = 1

    struct Report: Encodable {
        var schemaVersion: Int
        var generator: String
        /// The configuration file the audit read; absent when none.
        var configFile: String?
        var server: Server
        var counts: [String: Int]
        /// Like `counts`, but a finding another one fixes (`fixedBy`) is counted once, with its fixer.
        var problems: [String: Int]
        var findings: [Finding]
        /// Findings the configuration's `[[suppress]]` entries leave out of `findings`, and
        /// the entries that have expired.
        var suppressed: Suppressed
        var skipped: [Skipped]
        var disabled: [String]
        var sources: [SnapshotSummary.SkippedSource]
        var overview: Overview
    }

    struct Server: Encodable {
        var version: String
        var versionNumber: Int
        var database: String
        var role: String
        /// What the role may see: `superuser`, `pg_monitor`, `pg_read_all_stats` or `limited`.
        var visibility: String
        var collectedAt: Timestamp
        var statisticsSince: Timestamp?
    }

    struct Finding: Encodable {
        var rule: String
        var severity: String
        var target: String
        var targetKind: String
        var message: String
        var evidence: [String: JSONValue]
        var actions: [Action]
        var impact: Impact
        var notes: [String]
        /// The findings whose fix also fixes this one; absent when none.
        var fixedBy: [Link]?
    }

    struct Link: Encodable {
        var rule: String
        var target: String
        var detail: String?
    }

    struct Action: Encodable {
        var kind: String
        var sql: String
        var summary: String
        var rollback: String?
    }

    struct Impact: Encodable {
        var score: Double
        var summary: String
    }

    struct Suppressed: Encodable {
        var count: Int
        var counts: [String: Int]
        var findings: [SuppressedFinding]
        var expired: [Suppression]
    }

    struct SuppressedFinding: Encodable {
        var rule: String
        var severity: String
        var target: String
        var suppression: Suppression
    }

    /// A `[[suppress]]` entry: `target` as written (it may hold `*`), where it is written.
    struct Suppression: Encodable {
        var rule: String
        var target: String
        var reason: String
        var until: String?
        var file: String
        var line: Int

        init(_ s: Core.Suppression) {
            self = Suppression(rule: s.rule, target: s.target, reason: s.reason, until: s.until?.description, file: s.file, line: s.line)
        }

        init(rule: String, target: String, reason: String, until: String?, file: String, line: Int) {
            self.rule = rule
            self.target = target
            self.reason = reason
            self.until = until
            self.file = file
            self.line = line
        }
    }

    static func suppressed(_ r: AuditResult) -> Suppressed {
        Suppressed(
            count: r.suppressed.count,
            counts: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, r.suppressedCount($0)) }),
            findings: r.suppressed.map {
                SuppressedFinding(rule: $0.finding.rule, severity: $0.finding.severity.rawValue, target: $0.finding.target.display,
                                  suppression: Suppression($0.suppression))
            },
            expired: r.expiredSuppressions.map(Suppression.init))
    }

    struct Skipped: Encodable {
        var rule: String
        var reason: String
    }

    struct Overview: Encodable {
        var sizes: SnapshotSummary.Sizes
        /// `top` by total time and `frequent` by calls.
        var statements: SnapshotSummary.Statements
        /// Each index's scans, tuples read and fetched, and size, by scans.
        var indexes: [SnapshotSummary.IndexUsage]
    }

    static func report(_ report: AuditReport) -> Report {
        let s = report.snapshot
        return Report(
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)", configFile: report.configFile,
            server: Server(
                version: s.server.version, versionNumber: s.server.versionNumber, database: s.server.database,
                role: report.summary.server.role, visibility: report.summary.server.visibility, collectedAt: s.collectedAt, statisticsSince: s.database?.statsReset),
            counts: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, report.result.count($0)) }),
            problems: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, report.result.problemCount($0)) }),
            findings: report.result.findings.map { f in
                Finding(
                    rule: f.rule, severity: f.severity.rawValue, target: f.target.display, targetKind: f.target.kind,
                    message: f.message,
                    evidence: Dictionary(f.evidence.map { ($0.key, JSONValue($0.value)) }, uniquingKeysWith: { a, _ in a }),
                    actions: f.remediations.map {
                        Action(kind: $0.kind, sql: RemediationSQL.sql($0), summary: RemediationSQL.summary($0),
                               rollback: RemediationSQL.rollback($0))
                    },
                    impact: Impact(score: (f.impact.score * 1_000_000).rounded() / 1_000_000, summary: f.impact.summary),
                    notes: f.notes,
                    fixedBy: f.fixedBy.isEmpty ? nil : f.fixedBy.map { Link(rule: $0.rule, target: $0.target, detail: $0.detail) })
            },
            suppressed: suppressed(report.result),
            skipped: report.result.skipped.map { Skipped(rule: $0.rule, reason: $0.reason) },
            disabled: report.result.disabled, sources: report.summary.skipped,
            overview: Overview(
                sizes: report.summary.sizes, statements: report.summary.statements, indexes: report.summary.indexUsage))
    }
}
