import Model

/// What an index looks like to the planner, as the index rules compare it: access method, key
/// columns or expressions with their operator classes, sort options and collations, INCLUDE
/// columns and predicate. Built only for indexes whose definition was deparsed: without it,
/// expressions and the predicate are unknown and no comparison is safe.
struct IndexShape: Hashable, Sendable {
    /// One key column or expression with everything that changes what it can serve.
    struct Key: Hashable, Sendable {
        var column: String?
        var expression: String?
        var opclass: String?
        var descending: Bool
        var nullsFirst: Bool
        var collation: String?

        /// How the key reads in a message: `created_at`, `(lower(email))`, `total DESC`.
        var display: String {
            var text = column.map { SQLQuoting.identifier($0) } ?? "(\(expression ?? "?"))"
            if let collation { text += " COLLATE \(SQLQuoting.identifier(collation))" }
            if descending { text += " DESC" }
            if nullsFirst != descending { text += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
            return text
        }
    }

    var method: String
    var keys: [Key]
    /// INCLUDE columns, sorted: their order does not change what the index serves.
    var include: [String]
    var predicate: String?
    /// `UNIQUE NULLS NOT DISTINCT` (PostgreSQL 15+): enforces more than a plain unique index.
    var nullsNotDistinct: Bool

    /// nil when the definition was not deparsed or a key expression is unknown.
    init?(_ index: IndexInfo) {
        guard let definition = index.definition else { return nil }
        var keys: [Key] = []
        var include: [String] = []
        for column in index.columns {
            if column.isKey {
                guard column.column != nil || column.expression != nil else { return nil }
                keys.append(Key(
                    column: column.column, expression: column.column == nil ? column.expression : nil,
                    opclass: column.opclass, descending: column.descending, nullsFirst: column.nullsFirst,
                    collation: column.collation))
            } else {
                guard let name = column.column else { return nil }
                include.append(name)
            }
        }
        guard !keys.isEmpty else { return nil }
        method = index.method
        self.keys = keys
        self.include = include.sorted()
        predicate = index.predicate
        nullsNotDistinct = index.isUnique && definition.uppercased().contains("NULLS NOT DISTINCT")
    }

    /// The signature two exact duplicates share (uniqueness aside: a plain index duplicates a
    /// unique one for every read).
    var duplicateSignature: DuplicateSignature {
        DuplicateSignature(method: method, keys: keys, include: include, predicate: predicate)
    }

    struct DuplicateSignature: Hashable, Sendable {
        var method: String
        var keys: [Key]
        var include: [String]
        var predicate: String?
    }

    /// `(created_at, total) INCLUDE (status) WHERE (...)` for messages.
    var display: String {
        var text = "(" + keys.map(\.display).joined(separator: ", ") + ")"
        if !include.isEmpty { text += " INCLUDE (" + include.map { SQLQuoting.identifier($0) }.joined(separator: ", ") + ")" }
        if let predicate { text += " WHERE \(predicate)" }
        return text
    }
}
