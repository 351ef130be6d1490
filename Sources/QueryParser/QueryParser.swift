import Foundation

/// PostgreSQL's own parser (libpg_query), for query text such as `pg_stat_statements.query`.
///
/// All functions may be called from any thread.
public enum QueryParser {
    /// Parses `sql`, which may hold several statements; empty text gives zero statements.
    public static func parse(_ sql: String) throws(ParseError) -> ParsedQuery {
        let tree = try PGQuery.parse(sql)
        return ParsedQuery(tree: tree, statementKinds: try statements(in: tree).map(\.type))
    }

    /// The fingerprint of `sql` as hex digits: equal for queries that differ only in constants.
    public static func fingerprint(_ sql: String) throws(ParseError) -> String {
        try PGQuery.fingerprint(sql)
    }

    /// `sql` with each constant replaced by a `$n` parameter, as `pg_stat_statements` shows it.
    public static func normalize(_ sql: String) throws(ParseError) -> String {
        try PGQuery.normalize(sql)
    }

    /// The top-level statements of a JSON parse tree.
    static func statements(in tree: String) throws(ParseError) -> [ParseNode] {
        let root = try? JSONSerialization.jsonObject(with: Data(tree.utf8)) as? [String: Any]
        guard let root, let statements = root["stmts"] as? [[String: Any]] else {
            throw ParseError(message: "unreadable parse tree from libpg_query")
        }
        return try statements.map { (entry) throws(ParseError) in
            guard let node = ParseNode(entry["stmt"]) else {
                throw ParseError(message: "unreadable statement in parse tree from libpg_query")
            }
            return node
        }
    }
}
