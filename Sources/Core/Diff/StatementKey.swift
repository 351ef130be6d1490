import Model

/// How a pg_stat_statements entry is matched across snapshots of one database: query id, user,
/// and whether it ran at top level (pg_stat_statements keeps the two apart).
public struct StatementKey: Hashable, Comparable, Sendable {
    public var queryId: Int64
    public var user: String?
    public var toplevel: Bool?

    /// nil for an entry whose query id is hidden (another role's statement).
    public init?(_ statement: StatementStats) {
        guard let id = statement.queryId else { return nil }
        queryId = id
        user = statement.userName
        toplevel = statement.toplevel
    }

    public static func < (a: StatementKey, b: StatementKey) -> Bool {
        (a.queryId, a.user ?? "", a.toplevel == false ? 1 : 0) < (b.queryId, b.user ?? "", b.toplevel == false ? 1 : 0)
    }
}
