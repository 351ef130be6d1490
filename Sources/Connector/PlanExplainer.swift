import Model

/// The planner's estimate for a statement on the current session, with or without `$n`
/// parameters. Used by what-if costing (with hypopg's hypothetical indexes) and, without
/// hypopg, to read the statements' current plans; `plan` gives the whole tree to the pre-release
/// review.
///
/// Statements with parameters get their generic plan: on PostgreSQL 16+ with
/// `EXPLAIN (GENERIC_PLAN)`, the server inferring the parameter types; on older servers (or when
/// the server cannot infer a type and the caller gave one) through a prepared statement whose
/// generic plan `plan_cache_mode` forces, with NULL parameters that never reach the planner.
/// Never inside an open transaction: the prepared path opens and rolls back its own.
public final class PlanExplainer {
    /// How generic plans are obtained on this server.
    public enum Method: String, Sendable {
        /// `EXPLAIN (GENERIC_PLAN)`, PostgreSQL 16+.
        case genericPlanOption = "generic_plan"
        /// `PREPARE` + `EXPLAIN EXECUTE` under `plan_cache_mode = force_generic_plan`.
        case preparedStatement = "prepared_statement"
    }

    public let serverVersionNum: Int
    /// EXPLAIN statements sent so far (each generic-plan EXPLAIN counts once).
    public private(set) var explainCalls = 0
    /// Generic plans obtained each way.
    public private(set) var genericPlanExplains = 0
    public private(set) var preparedExplains = 0

    /// How the generic plans were read, once any was: EXPLAIN (GENERIC_PLAN) when it served at
    /// least once, else a prepared statement's generic plan.
    public var usedMethod: Method? {
        genericPlanExplains > 0 ? .genericPlanOption : preparedExplains > 0 ? .preparedStatement : nil
    }

    private let connection: Connection
    /// Parameter type names as the caller gave them, spelled as the server prints them.
    private var serverTypeNames: [String: String] = [:]

    /// The prepared statement of the PREPARE path. It never outlives a call (cached plans would
    /// refer to hypothetical indexes dropped later, hypopg issue #80), and one fixed name keeps
    /// pg_stat_statements at one `EXPLAIN ... EXECUTE` entry instead of one per call.
    static let preparedName = "pgadvisor_whatif"

    public init(connection: Connection, serverVersionNum: Int) {
        self.connection = connection
        self.serverVersionNum = serverVersionNum
    }

    /// The method generic plans take on this server.
    public var method: Method { serverVersionNum >= 160_000 ? .genericPlanOption : .preparedStatement }

    /// The planner's estimate for `text`: the generic plan when `text` has parameters
    /// `$1...$n`, the plan for its constants when `parameterTypes` is empty. `parameterTypes`
    /// holds one entry per parameter: its SQL type name, or nil to let the server infer it.
    ///
    /// `text` must be one statement EXPLAIN accepts; the server's error (with its SQLSTATE) is
    /// thrown otherwise, e.g. `SQLState.indeterminateDatatype` for a parameter whose type cannot
    /// be inferred (`$1 IS NULL`) and was not given.
    public func explain(_ text: String, parameterTypes: [String?]) throws -> PlanEstimate {
        try ExplainPlan.estimate(fromJSON: explainJSON(text, parameterTypes: parameterTypes))
    }

    /// The whole plan tree of `text`, planned as `explain` plans it. With `analyze`, a statement
    /// without parameters also runs, under `EXPLAIN ANALYZE` in `BEGIN READ ONLY … ROLLBACK`, so
    /// the tree carries actual rows and spills; the caller decides which statements may run (a
    /// read-only transaction still runs functions that only read, and takes their locks).
    public func plan(_ text: String, parameterTypes: [String?], analyze: Bool = false) throws -> PlanNode {
        guard analyze, parameterTypes.isEmpty else {
            return try ExplainPlan.tree(fromJSON: explainJSON(text, parameterTypes: parameterTypes))
        }
        try connection.query("-- pgadvisor: explain\nBEGIN READ ONLY")
        let outcome = Result {
            try run { try connection.query("-- pgadvisor: explain\nEXPLAIN (ANALYZE, FORMAT JSON) " + text) }
        }
        try connection.query("-- pgadvisor: explain\nROLLBACK")
        return try ExplainPlan.tree(fromJSON: outcome.get())
    }

    /// The JSON `EXPLAIN (FORMAT JSON)` gives for `text`: the generic plan when it has
    /// parameters.
    private func explainJSON(_ text: String, parameterTypes: [String?]) throws -> String {
        if parameterTypes.isEmpty {
            return try run { try connection.query("-- pgadvisor: explain\nEXPLAIN (FORMAT JSON) " + text) }
        }
        guard serverVersionNum >= 120_000 else {
            throw ConnectorError(kind: .unavailable,
                                 message: "costing statements with parameters needs PostgreSQL 12 or newer (plan_cache_mode)",
                                 advice: "upgrade the server, or cost the statement with constants")
        }
        if method == .genericPlanOption {
            do {
                let plan = try run { try connection.queryUnbound("-- pgadvisor: explain\nEXPLAIN (GENERIC_PLAN, FORMAT JSON) " + text) }
                genericPlanExplains += 1
                return plan
            } catch let error as ConnectorError
                where [SQLState.indeterminateDatatype, SQLState.ambiguousParameter].contains(error.sqlState) {
                // The server cannot infer a type (`$1 IS NULL`): a PREPARE declares the types the
                // caller knows, and fails with indeterminateDatatype for those it does not.
            }
        }
        let plan = try explainPrepared(text, parameterTypes: parameterTypes)
        preparedExplains += 1
        return plan
    }

    /// The generic plan through a prepared statement: declared parameter types are honoured, and
    /// `plan_cache_mode` is forced for one transaction. The statement is deallocated and the
    /// transaction rolled back whether or not a step fails, so the session stays usable.
    private func explainPrepared(_ text: String, parameterTypes: [String?]) throws -> String {
        let types = try declaredTypes(parameterTypes).joined(separator: ", ")
        let nulls = Array(repeating: "NULL", count: parameterTypes.count).joined(separator: ", ")
        let name = PlanExplainer.preparedName
        try connection.query("-- pgadvisor: what-if\nBEGIN")
        var prepared = false
        let outcome = Result {
            try connection.query("-- pgadvisor: what-if\nSET LOCAL plan_cache_mode = force_generic_plan")
            try connection.query("-- pgadvisor: what-if\nPREPARE \(name)(\(types)) AS " + text)
            prepared = true
            return try run { try connection.query("-- pgadvisor: what-if\nEXPLAIN (FORMAT JSON) EXECUTE \(name)(\(nulls))") }
        }
        try connection.query("-- pgadvisor: what-if\nROLLBACK")
        if prepared {
            try connection.query("-- pgadvisor: what-if\nDEALLOCATE \(name)")
        }
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

    /// Runs one EXPLAIN (FORMAT JSON) and returns its plan's JSON.
    private func run(_ explain: () throws -> QueryResult) throws -> String {
        explainCalls += 1
        guard let plan = try explain().first?["QUERY PLAN"].string() else {
            throw ConnectorError(kind: .decoding, message: "EXPLAIN returned no rows",
                                 advice: "please report it with the server version")
        }
        return plan
    }
}
