import CPGQuery

/// The only code that calls libpg_query. Every C result is copied into Swift values and freed
/// before returning, so no C pointer leaves this file.
///
/// libpg_query keeps its memory contexts in thread-local storage, so concurrent calls from
/// different threads are safe.
enum PGQuery {
    /// libpg_query's JSON parse tree of `sql`.
    static func parse(_ sql: String) throws(ParseError) -> String {
        try checkNoNUL(sql)
        let result = sql.withCString(pg_query_parse)
        defer { pg_query_free_parse_result(result) }
        try check(result.error)
        return String(cString: result.parse_tree)
    }

    /// The fingerprint of `sql` as 16 hex digits.
    static func fingerprint(_ sql: String) throws(ParseError) -> String {
        try checkNoNUL(sql)
        let result = sql.withCString(pg_query_fingerprint)
        defer { pg_query_free_fingerprint_result(result) }
        try check(result.error)
        return String(cString: result.fingerprint_str)
    }

    /// `sql` with its constants replaced by `$n` parameters.
    static func normalize(_ sql: String) throws(ParseError) -> String {
        try checkNoNUL(sql)
        let result = sql.withCString(pg_query_normalize)
        defer { pg_query_free_normalize_result(result) }
        try check(result.error)
        return String(cString: result.normalized_query)
    }

    /// Byte ranges (offset, length) of the statements in `sql`, found by the scanner, so text
    /// with a syntax error in one statement still splits into the others.
    static func split(_ sql: String) throws(ParseError) -> [(offset: Int, length: Int)] {
        try checkNoNUL(sql)
        let result = sql.withCString(pg_query_split_with_scanner)
        defer { pg_query_free_split_result(result) }
        try check(result.error)
        guard let stmts = result.stmts else { return [] }
        return (0..<Int(result.n_stmts)).compactMap { i in
            stmts[i].map { (Int($0.pointee.stmt_location), Int($0.pointee.stmt_len)) }
        }
    }

    private static func check(_ error: UnsafeMutablePointer<PgQueryError>?) throws(ParseError) {
        guard let error = error?.pointee else { return }
        throw ParseError(
            message: error.message.map { String(cString: $0) } ?? "unknown parse error",
            cursorPosition: error.cursorpos > 0 ? Int(error.cursorpos) : nil
        )
    }

    /// C sees a NUL byte as the end of the text, so the rest would silently go unparsed;
    /// the server rejects such text too.
    private static func checkNoNUL(_ sql: String) throws(ParseError) {
        if sql.utf8.contains(0) {
            throw ParseError(message: "query text contains a NUL byte", cursorPosition: nil)
        }
    }
}
