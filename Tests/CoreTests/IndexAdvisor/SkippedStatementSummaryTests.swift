import Core
import Model
import Testing

/// The statements not costed, as reports show them: the worth-reading ones listed, utility,
/// catalog-only and light statements counted; pgadvisor's own (hypopg's OID lookup too) left out.
@Suite struct SkippedStatementSummaryTests {
    /// A workload as a server other monitoring tools visit shows it.
    static func snapshot() -> Snapshot {
        let statements = [
            Example.statement(1, "SELECT * FROM shop.orders WHERE customer_id = $1", calls: 1000, meanMs: 20),
            Example.statement(2, "SET application_name = $1", calls: 500, meanMs: 0.01),
            Example.statement(3, "BEGIN", calls: 900, meanMs: 0.01),
            Example.statement(4, "COMMIT", calls: 900, meanMs: 0.01),
            Example.statement(5, "EXPLAIN SELECT * FROM shop.orders", calls: 3, meanMs: 0.5),
            Example.statement(6, "SELECT has_sequence_privilege($1, $2)", calls: 40, meanMs: 0.05),
            Example.statement(7, "SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = $1", calls: 40, meanMs: 0.3),
            Example.statement(8, "SELECT * FROM shop.order_totals WHERE day = $1", calls: 10, meanMs: 0.2),
            Example.statement(9, "SELECT * FROM shop.order_totals", calls: 100, meanMs: 30),
            Example.statement(10, StatementStats.hypopgOidLookup, calls: 60, meanMs: 0.02),
            Example.statement(11, "-- pgadvisor: session setup\nSELECT 1", calls: 2, meanMs: 0.02),
        ]
        var table = IndexExamplesForTests.orders
        table.activity?.inserted = 1000
        return Example.snapshot(
            statements: statements, tables: [table],
            indexes: [Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true)],
            columnStats: IndexExamplesForTests.ordersStats)
    }

    static func advice() -> IndexAdvice {
        let snapshot = snapshot()
        return IndexAdvisor().advise(snapshot: snapshot, workload: WorkloadStatement.fromSnapshot(snapshot))
    }

    @Test func pgadvisorsOwnStatementsAndHypopgsOidLookupAreLeftOut() {
        let labels = WorkloadStatement.fromSnapshot(Self.snapshot()).map(\.label)
        #expect(!labels.contains("query 10") && !labels.contains("query 11"), "\(labels)")
        #expect(labels.count == 9)
    }

    @Test func utilityCatalogAndLightStatementsAreCounted() throws {
        let advice = Self.advice()
        let summary = SkippedStatementSummary(advice.skippedStatements, workloadMs: advice.workloadMs)
        #expect(summary.listed.map(\.statement.label) == ["query 9"], "\(summary.listed.map { "\($0.statement.label): \($0.reason)" })")
        let lines = summary.groups.map(\.line)
        #expect(lines == [
            "4 utility statements (BEGIN, COMMIT, EXPLAIN, SET): no index serves them",
            "2 catalog-only statements (SELECT): they read no table of the database",
            "1 other statement (SELECT), each under 1% of the workload's execution time",
        ], "\(lines)")
    }

    @Test func withoutTimingsNothingIsCountedAsLight() {
        let view = WorkloadStatement(label: "f.sql:1", text: "SELECT * FROM shop.order_totals WHERE day = $1")
        let skipped = [SkippedStatement(statement: view, reason: "reads no table of the snapshot")]
        let summary = SkippedStatementSummary(skipped, workloadMs: nil)
        #expect(summary.listed == skipped && summary.groups.isEmpty)
    }
}
