import Model

/// Marks every statement pgadvisor sends so that pg_stat_statements entries it causes can be
/// told apart from the application's.
///
/// A leading `-- pgadvisor: ...` comment is not enough: from PostgreSQL 18 on,
/// pg_stat_statements keeps a statement's text from its first keyword, so leading comments are
/// lost. A comment right after that keyword survives (only constants are replaced), so the
/// marker goes there: `SELECT /* pgadvisor */ ...`. Comments never change the query id.
enum StatementMarker {
    /// `sql` with `StatementStats.pgadvisorMarker` after the first keyword of the statement,
    /// when its leading comments include pgadvisor's `-- pgadvisor: ...` line (statements of
    /// others sent through a `Connection`, such as test fixtures, stay as they are). Unchanged
    /// too when it is marked already or does not start with a keyword.
    static func mark(_ sql: String) -> String {
        let chars = Array(sql.utf8)
        let tag = Array("-- pgadvisor".utf8)
        var tagged = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                i += 1
            } else if c == UInt8(ascii: "-"), i + 1 < chars.count, chars[i + 1] == UInt8(ascii: "-") {
                if chars[i...].starts(with: tag) { tagged = true }
                while i < chars.count && chars[i] != UInt8(ascii: "\n") { i += 1 }
            } else if c == UInt8(ascii: "/"), i + 1 < chars.count, chars[i + 1] == UInt8(ascii: "*") {
                guard let end = closingComment(chars, from: i + 2) else { return sql }
                i = end
            } else {
                break
            }
        }
        guard tagged else { return sql }
        let start = i
        while i < chars.count, isLetter(chars[i]) { i += 1 }
        guard i > start else { return sql }
        let marker = " " + StatementStats.pgadvisorMarker
        let rest = chars[i...]
        if rest.starts(with: Array(marker.utf8)) { return sql }
        return String(decoding: chars[..<i], as: UTF8.self) + marker + String(decoding: rest, as: UTF8.self)
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    /// The index just past the `*/` that closes a block comment opened before `from`.
    private static func closingComment(_ chars: [UInt8], from: Int) -> Int? {
        var i = from
        while i + 1 < chars.count {
            if chars[i] == UInt8(ascii: "*") && chars[i + 1] == UInt8(ascii: "/") { return i + 2 }
            i += 1
        }
        return nil
    }
}
