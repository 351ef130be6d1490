import Core
import Model

/// The review as JSON (`review --format json`): a versioned shape for CI tools.
enum ReviewJSON {
    /// Raised when a field changes meaning or goes away.
    static let schemaVersion = 1

    struct Report: Encodable {
        var schemaVersion: Int
        var generator: String
        var target: String
        var offline: Bool
        var files: [String]
        /// Statements per verdict: `pass`, `warning`, `fail`.
        var counts: [String: Int]
        /// The worst verdict; absent without statements.
        var verdict: String?
        var thresholds: Thresholds
        var statements: [Statement]
        var notes: [String]
    }

    struct Thresholds: Encodable {
        var largeTableRows: Double
        var largeTableBytes: Int64
        var maxCost: Double?
        var maxRows: Double?
        var nestedLoopRows: Double
        var workMemBytes: Int64?
        var hashMemMultiplier: Double
    }

    struct Statement: Encodable {
        var file: String
        var line: Int
        var column: Int
        /// `query`, `migration`, `setting` or `other`.
        var kind: String
        var verdict: String
        var text: String
        var plan: Plan?
        var findings: [Finding]
        var notes: [String]
    }

    struct Plan: Encodable {
        var totalCost: Double
        var rows: Double
        var analyzed: Bool
        var actualRows: Double?
        /// The node types from the top, depth first (`Limit`, `Sort`, `Seq Scan`).
        var nodes: [String]
    }

    struct Finding: Encodable {
        var check: String
        var verdict: String
        var message: String
        var fix: String?
        var line: Int?
        var column: Int?
    }

    static func report(_ r: ReviewReport) -> Report {
        let t = r.thresholds
        return Report(
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)", target: r.target, offline: r.offline,
            files: r.files, counts: Dictionary(uniqueKeysWithValues: ReviewVerdict.allCases.map { ($0.rawValue, r.count($0)) }),
            verdict: r.highestVerdict?.rawValue,
            thresholds: Thresholds(largeTableRows: t.largeTableRows, largeTableBytes: t.largeTableBytes, maxCost: t.maxCost,
                                   maxRows: t.maxRows, nestedLoopRows: t.nestedLoopRows, workMemBytes: t.workMemBytes,
                                   hashMemMultiplier: t.hashMemMultiplier),
            statements: r.statements.map(statement), notes: r.notes)
    }

    private static func statement(_ s: StatementReview) -> Statement {
        Statement(
            file: s.file, line: s.line, column: s.column, kind: s.kind.rawValue, verdict: s.verdict.rawValue, text: s.text,
            plan: s.plan.map { Plan(totalCost: $0.totalCost, rows: $0.rows, analyzed: s.analyzed, actualRows: $0.actualRows,
                                    nodes: $0.allNodes.map(\.nodeType)) },
            findings: s.findings.map { Finding(check: $0.check, verdict: $0.verdict.rawValue, message: $0.message, fix: $0.fix,
                                               line: $0.line, column: $0.column) },
            notes: s.notes)
    }
}
