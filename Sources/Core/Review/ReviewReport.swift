import Model

/// What `pgadvisor review` found: every statement of the files, in file and line order, with
/// its verdict.
public struct ReviewReport: Equatable, Sendable {
    /// `database app_staging (PostgreSQL 16.4)`, or `offline` without a server.
    public var target: String
    public var offline: Bool
    public var files: [String]
    public var statements: [StatementReview]
    public var thresholds: ReviewThresholds
    /// What applies to the whole review (hypopg missing, index advice unverified ...).
    public var notes: [String]

    public init(target: String, offline: Bool, files: [String], statements: [StatementReview],
                thresholds: ReviewThresholds, notes: [String] = []) {
        self.target = target
        self.offline = offline
        self.files = files
        self.statements = statements.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        self.thresholds = thresholds
        self.notes = notes
    }

    /// The worst verdict; nil without statements.
    public var highestVerdict: ReviewVerdict? { statements.map(\.verdict).max() }

    public func count(_ verdict: ReviewVerdict) -> Int { statements.filter { $0.verdict == verdict }.count }
}
