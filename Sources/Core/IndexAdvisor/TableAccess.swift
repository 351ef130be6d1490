import Model

/// How one statement reads one table (one occurrence in FROM): the conditions and sort order an
/// index on that table could serve, with names resolved against the snapshot's catalog.
public struct TableAccess: Equatable, Sendable {
    public var table: QualifiedName
    /// `=`, `IN`, `= ANY`: the keys an index seeks on.
    public var equality: [AccessKey]
    /// `<`, `>`, `BETWEEN`: a key an index scans a range of.
    public var ranges: [AccessKey]
    /// `LIKE 'abc%'`: a range over a prefix (needs `text_pattern_ops` unless the collation is C).
    public var prefixes: [AccessKey]
    /// Columns equal to a column of another table: the inner side of a nested loop seeks on them.
    public var joins: [AccessKey]
    /// Conditions on a column's value that could become the WHERE of a partial index.
    public var conditions: [RowCondition]
    /// ORDER BY keys, when every key of the statement's ORDER BY is on this table.
    public var sort: [SortAccess]
    /// true when the query level has a LIMIT: an index in ORDER BY order stops early.
    public var hasLimit: Bool

    public init(
        table: QualifiedName, equality: [AccessKey] = [], ranges: [AccessKey] = [], prefixes: [AccessKey] = [],
        joins: [AccessKey] = [], conditions: [RowCondition] = [], sort: [SortAccess] = [], hasLimit: Bool = false
    ) {
        self.table = table
        self.equality = equality
        self.ranges = ranges
        self.prefixes = prefixes
        self.joins = joins
        self.conditions = conditions
        self.sort = sort
        self.hasLimit = hasLimit
    }

    /// true when nothing an index could serve was found.
    public var isEmpty: Bool {
        equality.isEmpty && ranges.isEmpty && prefixes.isEmpty && joins.isEmpty && conditions.isEmpty && sort.isEmpty
    }
}

/// A column, or a function of one column (`lower(email)`), as an index key.
public struct AccessKey: Hashable, Comparable, Sendable {
    public var column: String
    /// The function SQL, quoted (`lower`, `app.normalize`), for an expression key.
    public var function: String?

    public init(column: String, function: String? = nil) {
        self.column = column
        self.function = function
    }

    /// The key of an index: the column, or the expression `lower("email")`.
    public var indexKey: IndexKey {
        guard let function else { return .column(column) }
        return .expression("\(function)(\(SQLQuoting.identifier(column)))")
    }

    /// How a message names it: `email`, `lower(email)`.
    public var display: String {
        function.map { "\($0)(\(SQLQuoting.identifier(column)))" } ?? SQLQuoting.identifier(column)
    }

    public static func < (a: AccessKey, b: AccessKey) -> Bool { a.display < b.display }
}

/// One ORDER BY key on the table.
public struct SortAccess: Hashable, Sendable {
    public var key: AccessKey
    public var descending: Bool

    public init(key: AccessKey, descending: Bool = false) {
        self.key = key
        self.descending = descending
    }
}

/// A condition on one column's value, the WHERE of a possible partial index.
public struct RowCondition: Hashable, Sendable {
    public enum Test: Hashable, Sendable {
        case isNull, isNotNull, isTrue, isFalse
        /// `= constant` (only literal SQL keeps constants; normalized text has `$n`).
        case equals(String)
    }

    public var column: String
    public var test: Test

    public init(column: String, test: Test) {
        self.column = column
        self.test = test
    }

    /// The condition as SQL: `"deleted_at" IS NULL`, `NOT "archived"`, `"status" = 'open'`.
    public var sql: String {
        let c = SQLQuoting.identifier(column)
        switch test {
        case .isNull: return "\(c) IS NULL"
        case .isNotNull: return "\(c) IS NOT NULL"
        case .isTrue: return c
        case .isFalse: return "NOT \(c)"
        case .equals(let literal): return "\(c) = \(literal)"
        }
    }
}
