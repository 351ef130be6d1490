import Model

/// A possible index, with the statements whose conditions suggested it.
public struct IndexCandidate: Hashable, Sendable {
    public var spec: IndexSpec
    /// Why it was generated: `equality → range`, `equality → ORDER BY`, `join key`, `partial`, ...
    public var origin: String
    /// Indexes into the advisor's analyzed statements.
    public var statements: [Int]
    /// The table columns the index holds: key columns, the columns of key expressions and of
    /// the predicate (an UPDATE of one of them is no longer HOT).
    public var columns: [String]

    public init(spec: IndexSpec, origin: String, statements: [Int] = [], columns: [String] = []) {
        self.spec = spec
        self.origin = origin
        self.statements = statements
        self.columns = columns
    }
}

/// A candidate the advisor did not recommend, and why.
public struct CandidateRejection: Equatable, Sendable {
    public var spec: IndexSpec
    public var reason: String

    public init(spec: IndexSpec, reason: String) {
        self.spec = spec
        self.reason = reason
    }

    public var display: String { spec.display }
}
