extension IndexSpec {
    /// ` [USING method] (keys) [INCLUDE (...)] [WITH (...)] [WHERE ...]`: everything of a CREATE
    /// INDEX after the table, every identifier through ``SQLQuoting``, storage parameter values as
    /// literals (whole numbers as written). Key expressions and the predicate are SQL already.
    public var definitionBody: String {
        let keyList = keys.map { key in
            var text = key.column.map(SQLQuoting.identifier) ?? "(\(key.expression ?? ""))"
            if let opclass = key.opclass { text += " " + SQLQuoting.identifier(opclass) }
            if key.descending { text += " DESC" }
            return text
        }
        var sql = ""
        if method != "btree" { sql += " USING \(SQLQuoting.identifier(method))" }
        sql += " (\(keyList.joined(separator: ", ")))"
        if !include.isEmpty { sql += " INCLUDE (\(include.map(SQLQuoting.identifier).joined(separator: ", ")))" }
        if !storageParameters.isEmpty {
            let list = storageParameters.map { parameter in
                let isInteger = !parameter.value.isEmpty && parameter.value.allSatisfy { $0.isASCII && $0.isNumber }
                return "\(SQLQuoting.identifier(parameter.key)) = "
                    + (isInteger ? parameter.value : SQLQuoting.literal(parameter.value))
            }
            sql += " WITH (\(list.joined(separator: ", ")))"
        }
        if let predicate { sql += " WHERE \(predicate)" }
        return sql
    }

    /// Whether this index serves every read `narrow` serves: same table, method and predicate,
    /// and `narrow`'s keys lead this one's, in order, with the same directions and operator
    /// classes (an unindexed foreign key on `(customer_id)` is served by `(customer_id, created_at)`).
    public func covers(_ narrow: IndexSpec) -> Bool {
        table == narrow.table && method == narrow.method && predicate == narrow.predicate
            && narrow.include.isEmpty && Array(keys.prefix(narrow.keys.count)) == narrow.keys
    }

    /// How reports name the index: `shop.orders (customer_id, created_at) WHERE ...`.
    public var display: String { SQLQuoting.qualified(table) + definitionBody }

    /// PostgreSQL's own naming pattern, `<table>_<keys>_idx`: an expression contributes its
    /// words (`lower("email")` → `lower_email`), a descending key `desc`, an operator class
    /// `pattern` (for the `*_pattern_ops` classes) or its name, a partial index `partial`; and,
    /// as PostgreSQL does, `number` after `_idx` tells apart indexes that would share a name
    /// (`orders_customer_id_idx1`). Cut to 63 bytes (NAMEDATALEN − 1) on a character boundary,
    /// keeping the suffix.
    public func derivedName(number: Int? = nil) -> String {
        var parts = [table.name]
        for key in keys {
            parts.append(key.column ?? Self.words(key.expression ?? "expr"))
            if let opclass = key.opclass { parts.append(opclass.hasSuffix("_pattern_ops") ? "pattern" : opclass) }
            if key.descending { parts.append("desc") }
        }
        if predicate != nil { parts.append("partial") }
        let suffix = "_idx" + (number.map { "\($0)" } ?? "")
        return Self.truncated(parts.joined(separator: "_"), bytes: 63 - suffix.utf8.count) + suffix
    }

    /// `lower("email")` → `lower_email`: the identifier-like words of an expression.
    private static func words(_ expression: String) -> String {
        let words = expression.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.isEmpty ? "expr" : words.joined(separator: "_")
    }

    private static func truncated(_ text: String, bytes limit: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let size = String(character).utf8.count
            if used + size > limit { break }
            out.append(character)
            used += size
        }
        return out
    }
}
