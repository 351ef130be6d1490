import Model

/// A costing the server could not run because another session held a table the statement reads
/// (or a candidate index is on) past the reading session's `lock_timeout` (SQLSTATE 55P03).
/// The advisor estimates those tables' advice from `pg_stats` instead and says so.
public struct LockedTablesError: Error, Equatable, Sendable, CustomStringConvertible {
    public var tables: [QualifiedName]

    public init(tables: [QualifiedName]) {
        self.tables = tables.sorted()
    }

    public var description: String {
        let names = tables.map { "\($0)" }.joined(separator: ", ")
        return (tables.count == 1 ? "table \(names) was" : "tables \(names) were")
            + " locked by another session past lock_timeout (SQLSTATE 55P03)"
    }
}
