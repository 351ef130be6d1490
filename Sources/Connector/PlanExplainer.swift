import Model

/// The planner's plan for one statement, as `EXPLAIN (FORMAT JSON)` gives it, on one read-only
/// connection: statements with `$1...$n` parameters are planned as generic plans through a
/// prepared statement, literal SQL directly. With `analyze`, a statement without parameters
/// is run too, inside a read-only transaction that is rolled back.
///
/// Nothing is written: PREPARE and EXPLAIN without ANALYZE plan but never execute, and an
/// analyzed statement runs in `BEGIN READ ONLY ... ROLLBACK` on a session that is read-only
/// anyway. Use the connection for nothing else meanwhile, and never inside an open transaction.
public final class PlanExplainer {
    public let serverVersionNum: Int
    /// EXPLAIN statements sent so far.
    public private(set) var explainCalls = 0

    private let connection: Connection
    /// Parameter type names as the caller gave them, spelled as the server prints them.
    private var serverTypeNames: [String: String] = [:]

    /// The prepared statement of the generic-plan path. It never outlives a call (cached plans
    /// would refer to hypothetical indexes dropped later, hypopg issue #80), and one fixed name
    /// keeps pg_stat_statements at one `EXPLAIN ... EXECUTE` entry instead of one per call.
    static let preparedName = "pgadvisor_whatif"

    public init(connection: Connection, serverVersionNum: Int) {
        self.connection = connection
        self.serverVersionNum = serverVersionNum
    }

    /// The top node's estimate for `text` and the indexes its plan scans. `parameterTypes`
    /// holds one entry per `$n`: its SQL type name (`integer`, `timestamp with time zone`), or
    /// nil to let the server infer it; empty for literal SQL.
    ///
    /// `text` is sent as is, and must be one statement EXPLAIN accepts; the server's error (with
    /// its SQLSTATE) is thrown otherwise, e.g. `SQLState.indeterminateDatatype` for a parameter
    /// whose type cannot be inferred (`$1 IS NULL`) and was not given.
    public func estimate(_ text: String, parameterTypes: [String?]) throws -> PlanEstimate {
        try ExplainPlan.estimate(fromJSON: explainJSON(text, parameterTypes: parameterTypes, analyze: false))
    }

    /// The whole plan of `text`; with `analyze` (only for literal SQL: a generic plan has no
    /// values to run with) also what running it did, in a transaction that is rolled back.
    public func plan(_ text: String, parameterTypes: [String?], analyze: Bool = false) throws -> PlanNode {
        try ExplainPlan.tree(fromJSON: explainJSON(text, parameterTypes: parameterTypes, analyze: analyze))
    }

    private func explainJSON(_ text: String, parameterTypes: [String?], analyze: Bool) throws -> String {
        if parameterTypes.isEmpty {
            guard analyze else { return try runExplain("EXPLAIN (FORMAT JSON) " + text) }
            return try rolledBack(readOnly: true) { try runExplain("EXPLAIN (ANALYZE, FORMAT JSON) " + text) }
        }
        guard serverVersionNum >= 120000 else {
            throw ConnectorError(kind: .unavailable,
                                 message: "planning statements with parameters needs PostgreSQL 12 or newer (plan_cache_mode)",
                                 advice: "upgrade the server, or write the statement with constants")
        }
        return try explainPrepared(text, parameterTypes: parameterTypes)
    }

    /// The generic plan through a prepared statement: declared parameter types are honoured, and
    /// `plan_cache_mode` is forced for one transaction. The statement is deallocated and the
    /// transaction rolled back whether or not a step fails, so the session stays usable.
    ///
    /// PostgreSQL 16's `EXPLAIN (GENERIC_PLAN)` is no shortcut here: through the extended protocol
    /// (PQexecParams, which also guarantees a single statement) `$n` must be bound, and the planner
    /// then plans for the bound values.
    private func explainPrepared(_ text: String, parameterTypes: [String?]) throws -> String {
        let types = try declaredTypes(parameterTypes).joined(separator: ", ")
        let nulls = Array(repeating: "NULL", count: parameterTypes.count).joined(separator: ", ")
        let name = Self.preparedName
        var prepared = false
        let outcome = Result {
            try rolledBack(readOnly: false) {
                try connection.query("-- pgadvisor: what-if\nSET LOCAL plan_cache_mode = force_generic_plan")
                try connection.query("-- pgadvisor: what-if\nPREPARE \(name)(\(types)) AS " + text)
                prepared = true
                return try runExplain("EXPLAIN (FORMAT JSON) EXECUTE \(name)(\(nulls))")
            }
        }
        if prepared {
            try connection.query("-- pgadvisor: what-if\nDEALLOCATE \(name)")
        }
        return try outcome.get()
    }

    /// Runs `body` in a transaction that is rolled back whatever happens; a failed rollback
    /// is thrown, as the session is then unusable.
    private func rolledBack<T>(readOnly: Bool, _ body: () throws -> T) throws -> T {
        try connection.query("-- pgadvisor: what-if\n" + (readOnly ? "BEGIN READ ONLY" : "BEGIN"))
        let outcome = Result { try body() }
        try connection.query("-- pgadvisor: what-if\nROLLBACK")
        return try outcome.get()
    }

    /// The PREPARE type list: each given name as the server prints the type (so only text the
    /// server produced and quoted reaches the statement), `unknown` (inferred) for nil.
    private func declaredTypes(_ parameterTypes: [String?]) throws -> [String] {
        let unresolved = Set(parameterTypes.compactMap { $0 }).subtracting(serverTypeNames.keys).sorted()
        if !unresolved.isEmpty {
            let result = try connection.query(
                "-- pgadvisor: what-if, parameter types\n"
                    + "SELECT n AS given, n::pg_catalog.regtype::pg_catalog.text AS type FROM pg_catalog.unnest($1::pg_catalog.text[]) AS n",
                [Connection.textArray(unresolved)])
            for row in result.rows {
                serverTypeNames[try row["given"].string()] = try row["type"].string()
            }
        }
        return parameterTypes.map { given in given.flatMap { serverTypeNames[$0] } ?? "unknown" }
    }

    private func runExplain(_ sql: String) throws -> String {
        explainCalls += 1
        let result = try connection.query("-- pgadvisor: what-if\n" + sql)
        guard let plan = try result.first?["QUERY PLAN"].string() else {
            throw ConnectorError(kind: .decoding, message: "EXPLAIN returned no rows",
                                 advice: "please report it with the server version")
        }
        return plan
    }
}
