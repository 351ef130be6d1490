import Model

/// One statement of a reviewed file, with its verdict and the reasons for it.
public struct StatementReview: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// SELECT, INSERT, UPDATE, DELETE, MERGE: planned with EXPLAIN.
        case query
        /// DDL: parsed and looked up, never run.
        case migration
        /// `SET lock_timeout` and the like.
        case setting
        /// Anything else, and statements the parser rejects.
        case other
    }

    /// The file as given on the command line (or found under the directory).
    public var file: String
    public var line: Int
    public var column: Int
    public var text: String
    public var kind: Kind
    public var findings: [ReviewFinding]
    /// The plan's top node, when the statement was planned.
    public var plan: PlanNode?
    /// true when the plan comes from EXPLAIN ANALYZE (the statement ran and was rolled back).
    public var analyzed: Bool
    /// What was not done and why (not analyzed: it writes, it has parameters ...).
    public var notes: [String]

    public init(
        file: String, line: Int, column: Int = 1, text: String, kind: Kind, findings: [ReviewFinding] = [],
        plan: PlanNode? = nil, analyzed: Bool = false, notes: [String] = []
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.text = text
        self.kind = kind
        self.findings = findings
        self.plan = plan
        self.analyzed = analyzed
        self.notes = notes
    }

    /// The worst finding's verdict; pass without findings.
    public var verdict: ReviewVerdict { findings.map(\.verdict).max() ?? .pass }

    /// `release.sql:12`.
    public var location: String { "\(file):\(line)" }
}
