import Model
import Planner

/// What-if costing with hypopg: hypothetical indexes, and the planner's estimate for a statement
/// while they exist.
///
/// hypopg keeps its indexes in the memory of the backend that created them, so every call runs
/// on `connection`; use that connection for nothing else meanwhile, and never inside an open
/// transaction. Nothing is written: hypopg's functions, PREPARE and EXPLAIN without ANALYZE all
/// run in a read-only session, under the connection's `statement_timeout` and `lock_timeout`.
/// Hypothetical indexes outlive the session until `reset()` or the connection closes.
public final class WhatIfSession {
    public let hypopgVersion: String
    public let serverVersionNum: Int
    /// EXPLAIN statements sent so far (each generic-plan EXPLAIN counts once).
    public var explainCalls: Int { explainer.explainCalls }
    /// Runs the EXPLAINs, on the same connection.
    public let explainer: PlanExplainer

    private let connection: Connection
    /// hypopg's schema as the server quotes it, so its functions are found whatever the
    /// search_path (which stays the application's, for the statements explained).
    private let schema: String

    /// Fails with a `.unavailable` error when hypopg is not installed in this database, or this
    /// role may not execute its functions, or the server cannot load it.
    public init(connection: Connection) throws {
        guard let row = try connection.query(CatalogQueries.named("hypopg")).first else {
            throw ConnectorError(kind: .decoding, message: "the hypopg probe returned no row",
                                 advice: "please report it with the server version")
        }
        let database = try row["database"].string()
        let role = try row["role_name"].string()
        serverVersionNum = try row["server_version_num"].int()
        let package = "postgresql-\(serverVersionNum / 10000)-hypopg"
        guard let version = try row["version"].optionalString(), let schema = try row["schema"].optionalString() else {
            throw ConnectorError(kind: .unavailable, message: "hypopg is not installed in database \(database)",
                                 advice: "run \(StatementSQL.inline(StatementSQL.createExtension("hypopg"))) (package \(package)) for verified index advice")
        }
        if let unusable = try row["unusable"].optionalString() {
            throw ConnectorError(
                kind: .unavailable,
                message: "hypopg \(version) is installed in database \(database), but role \(role) cannot execute \(unusable)",
                advice: "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA \(SQLQuoting.identifier(schema)) TO \(SQLQuoting.identifier(role)) "
                    + "(or run as a role that has it) for verified index advice")
        }
        // Calling a C function of hypopg loads its library, which also defines hypopg.enabled.
        let enabled: Bool
        do {
            enabled = try connection.query(
                "-- pgadvisor: what-if, load hypopg\n"
                    + "SELECT pg_catalog.current_setting('hypopg.enabled')::bool AS enabled, pg_catalog.count(*) AS indexes "
                    + "FROM \(schema).hypopg()"
            ).first?["enabled"].bool() ?? false
        } catch let error as ConnectorError where error.kind == .query {
            let fix = error.sqlState == SQLState.insufficientPrivilege
                ? "grant \(role) the privileges it names" : "install package \(package) on the server"
            throw ConnectorError(kind: .unavailable, sqlState: error.sqlState,
                                 message: "hypopg \(version) is installed in database \(database) but not usable: \(error.message)",
                                 advice: fix + " for verified index advice")
        }
        guard enabled else {
            throw ConnectorError(kind: .unavailable, message: "hypopg.enabled is off for this session",
                                 advice: "remove the setting from the role or database (RESET hypopg.enabled) for verified index advice")
        }
        self.connection = connection
        self.schema = schema
        hypopgVersion = version
        explainer = PlanExplainer(connection: connection, serverVersionNum: serverVersionNum)
    }

    /// Creates a hypothetical index from one `CREATE INDEX` statement (CONCURRENTLY is accepted
    /// and ignored). hypopg refuses access methods it cannot estimate (gin, gist, spgist).
    public func createIndex(_ definition: String) throws -> HypotheticalIndex {
        let result = try connection.query(
            "-- pgadvisor: what-if, create a hypothetical index\n"
                + "SELECT h.indexrelid, h.indexname, \(schema).hypopg_relation_size(h.indexrelid) AS bytes "
                + "FROM \(schema).hypopg_create_index($1) AS h",
            [definition])
        let created = try result.rows.map {
            HypotheticalIndex(oid: try $0["indexrelid"].oid(), name: try $0["indexname"].string(),
                              estimatedBytes: try $0["bytes"].int64())
        }
        guard created.count == 1, let index = created.first else {
            for index in created { try dropIndex(index) }
            throw ConnectorError(kind: .query, message: "expected one CREATE INDEX statement, got: \(definition.singleLine)",
                                 advice: "pass a single CREATE INDEX statement")
        }
        return index
    }

    public func dropIndex(_ index: HypotheticalIndex) throws {
        let dropped = try connection.query(
            "-- pgadvisor: what-if, drop a hypothetical index\n"
                + "SELECT \(schema).hypopg_drop_index($1::pg_catalog.oid) AS dropped",
            [String(index.oid)]
        ).first?["dropped"].bool()
        guard dropped == true else {
            throw ConnectorError(kind: .query, message: "hypothetical index \(index.name) does not exist",
                                 advice: "it was dropped already, or reset() or a new connection removed it")
        }
    }

    /// Drops every hypothetical index of this backend (`hypopg_reset()`).
    public func reset() throws {
        try connection.query("-- pgadvisor: what-if, drop all hypothetical indexes\nSELECT \(schema).hypopg_reset()")
    }

    /// The planner's estimate for `text` under the current hypothetical indexes (see
    /// `PlanExplainer.explain`): generic plans with `EXPLAIN (GENERIC_PLAN)` on PostgreSQL 16+,
    /// through a prepared statement before.
    public func explain(_ text: String, parameterTypes: [String?]) throws -> PlanEstimate {
        try explainer.explain(text, parameterTypes: parameterTypes)
    }
}
