import Model
import Testing
import TestSupport
@testable import Connector

/// Generic plans of `$n` statements: EXPLAIN (GENERIC_PLAN) on PostgreSQL 18, PREPARE +
/// EXPLAIN EXECUTE on 15; both plan `$1` without a value, and more than one statement is refused.
@Suite(.serialized)
struct PlanExplainerTests {
    static let setup = [
        "CREATE TABLE e (a int, b int)",
        "INSERT INTO e SELECT g % 4, g FROM generate_series(1, 20000) g",
        "CREATE INDEX e_b_idx ON e (b)",
        "ANALYZE e",
    ]

    @Test(arguments: [TestServer.Cluster.shared, .version18])
    func genericPlansTakeTheVersionsWay(_ cluster: TestServer.Cluster) throws {
        guard TestServer.required(cluster) else { return }
        try TestServer.$cluster.withValue(cluster) {
            let name = try TestServer.freshDatabase("pgadvisor_explainer", setup: Self.setup)
            let db = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo(name)))
            defer { db.close() }
            let version = try #require(try db.query("SELECT current_setting('server_version_num')::int AS v").first?["v"].int())
            let explainer = PlanExplainer(connection: db, serverVersionNum: version)
            let plan = try explainer.explain("SELECT * FROM e WHERE b = $1", parameterTypes: [nil])
            #expect(plan.indexesUsed == ["e_b_idx"], "\(plan)")
            #expect(plan.rows >= 1 && plan.rows < 10, "a generic plan estimates one b per row: \(plan)")
            if version >= 160_000 {
                #expect(explainer.method == .genericPlanOption)
                #expect(explainer.genericPlanExplains == 1 && explainer.preparedExplains == 0)
            } else {
                #expect(explainer.method == .preparedStatement)
                #expect(explainer.genericPlanExplains == 0 && explainer.preparedExplains == 1)
            }
            // `$1 IS NULL` gives the server nothing to infer from: a declared type takes the PREPARE way.
            let typed = try explainer.explain("SELECT * FROM e WHERE $1 IS NULL OR b = $1", parameterTypes: ["integer"])
            #expect(typed.totalCost > 0)
            #expect(explainer.explainCalls >= 2)
            #expect(throws: ConnectorError.self) { try db.queryUnbound("SELECT 1; SELECT 2") }
            // The session is still usable (no transaction left open).
            #expect(try db.query("SELECT 1 AS one").first?["one"].int() == 1)
        }
    }
}
