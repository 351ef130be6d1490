import Model
import QueryParser

/// A workload statement after parsing and name resolution: what the advisor costs.
public struct AnalyzedStatement: Equatable, Sendable {
    public var statement: WorkloadStatement
    /// The text to cost (typed parameter literals rewritten so the grammar accepts them).
    public var text: String
    /// One entry per `$n`: the type of the column it is compared with, when known.
    public var parameterTypes: [String?]
    /// `$n` (1-based) in arithmetic or CASE results, whose constants were numbers: numeric when
    /// the server cannot type them from `parameterTypes`.
    public var arithmeticParameters: Set<Int> = []
    public var accesses: [TableAccess]
    /// Tables this statement reads (sorted, unique).
    public var tables: [QualifiedName]
    /// Columns the statement sets, by table (an index on them costs HOT updates).
    public var updatedColumns: [QualifiedName: [String]]
    /// SELECT, INSERT, UPDATE or DELETE (a retention DELETE by time tells partitioning advice).
    public var kind: StatementShape.Kind

    public init(
        statement: WorkloadStatement, text: String, parameterTypes: [String?] = [], accesses: [TableAccess],
        updatedColumns: [QualifiedName: [String]] = [:], kind: StatementShape.Kind = .select
    ) {
        self.kind = kind
        self.statement = statement
        self.text = text
        self.parameterTypes = parameterTypes
        self.accesses = accesses
        self.tables = Array(Set(accesses.map(\.table))).sorted()
        self.updatedColumns = updatedColumns
    }
}

/// A statement the advisor could not use, with the reason.
public struct SkippedStatement: Equatable, Sendable {
    /// What sort of statement it is, so reports can count the uninteresting ones.
    public enum Kind: String, Equatable, Sendable {
        /// `SET`, `BEGIN`, `COMMIT`, `EXPLAIN`, DDL: no index serves it.
        case utility
        /// Reads no table of the database: functions and constants (`SELECT has_sequence_privilege(...)`)
        /// or only the system catalogs.
        case catalogOnly = "catalog-only"
        /// Anything else: a statement that reads tables but could not be used.
        case other
    }

    public var statement: WorkloadStatement
    public var reason: String
    public var kind: Kind

    public init(statement: WorkloadStatement, reason: String, kind: Kind = .other) {
        self.statement = statement
        self.reason = reason
        self.kind = kind
    }
}
