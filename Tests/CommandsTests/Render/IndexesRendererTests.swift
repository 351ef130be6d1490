import Core
import Model
import Testing

@testable import Commands

/// `pgadvisor indexes` output without a server: the statements not costed do not drown the
/// recommendations.
@Suite struct IndexesRendererTests {
    /// One index-worthy statement among the utility and catalog statements other tools send.
    static func report(explainRejections: Bool) -> IndexesReport {
        var orders = Example.table("shop.orders", rows: 500_000, columns: [
            Column(name: "id", position: 1, type: "bigint", notNull: true),
            Column(name: "customer_id", position: 2, type: "integer", notNull: true),
        ])
        orders.activity?.inserted = 1000
        let chatter = ["SET application_name = $1", "BEGIN", "COMMIT", "SHOW server_version", "SELECT has_sequence_privilege($1, $2)",
                       "SELECT pg_is_in_recovery()", "EXPLAIN SELECT * FROM shop.orders"]
        let snapshot = Example.snapshot(
            statements: [Example.statement(1, "SELECT * FROM shop.orders WHERE customer_id = $1", calls: 1000, meanMs: 20)]
                + chatter.enumerated().map { Example.statement(Int64(10 + $0.offset), $0.element, calls: 100, meanMs: 0.01) },
            tables: [orders],
            indexes: [Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true)],
            columnStats: [
                ColumnStats(schema: "shop", table: "orders", column: "id", averageWidth: 8, distinctValues: -1),
                ColumnStats(schema: "shop", table: "orders", column: "customer_id", averageWidth: 4, distinctValues: 20_000),
            ])
        let advice = IndexAdvisor().advise(snapshot: snapshot, workload: WorkloadStatement.fromSnapshot(snapshot))
        return IndexesReport(snapshot: snapshot, advice: advice, source: "pg_stat_statements", explainRejections: explainRejections)
    }

    @Test func utilityAndCatalogStatementsAreCountedNotListed() throws {
        let text = IndexesRenderer.text(Self.report(explainRejections: false))
        #expect(text.contains("Statements not costed (7; --explain-rejections lists them all):"), "\(text)")
        #expect(text.contains("+ 5 utility statements (BEGIN, COMMIT, EXPLAIN, SET, SHOW): no index serves them"), "\(text)")
        #expect(text.contains("+ 2 catalog-only statements (SELECT): they read no table of the database"), "\(text)")
        #expect(!text.contains("has_sequence_privilege"), "\(text)")
        let markdown = IndexesRenderer.markdown(Self.report(explainRejections: false))
        #expect(markdown.contains("- 5 utility statements"), "\(markdown)")
    }

    @Test func explainRejectionsListsEveryStatement() throws {
        let text = IndexesRenderer.text(Self.report(explainRejections: true))
        #expect(text.contains("Statements not costed (7):"), "\(text)")
        #expect(text.contains("SELECT has_sequence_privilege($1, $2)") && text.contains("utility statement (VariableSetStmt)"), "\(text)")
        #expect(!text.contains("utility statements ("), "\(text)")
    }
}
