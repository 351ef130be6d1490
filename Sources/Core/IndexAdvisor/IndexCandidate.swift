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

    /// `shop.orders (customer_id, created_at) WHERE ...`: how reports name it.
    public var display: String {
        IndexCandidate.display(spec)
    }

    public static func display(_ spec: IndexSpec) -> String {
        let keys = spec.keys.map { key -> String in
            var text = key.column.map(SQLQuoting.identifier) ?? "(\(key.expression ?? ""))"
            if let opclass = key.opclass { text += " \(opclass)" }
            if key.descending { text += " DESC" }
            return text
        }
        var text = "\(SQLQuoting.qualified(spec.table)) (\(keys.joined(separator: ", ")))"
        if let predicate = spec.predicate { text += " WHERE \(predicate)" }
        return text
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

    public var display: String { IndexCandidate.display(spec) }
}
