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
        var server: Server
        var counts: [String: Int]
        /// Like `counts`, but a finding another one fixes (`fixedBy`) is counted once, with its fixer.
        var problems: [String: Int]
        var findings: [Finding]
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
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)",
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
            skipped: report.result.skipped.map { Skipped(rule: $0.rule, reason: $0.reason) },
            disabled: report.result.disabled, sources: report.summary.skipped,
            overview: Overview(
                sizes: report.summary.sizes, statements: report.summary.statements, indexes: report.summary.indexUsage))
    }
}
