import Core
import Testing

@Suite struct StatementKeywordsTests {
    @Test(arguments: [
        "CREATE INDEX CONCURRENTLY orders_idx ON orders (created_at)",
        "create unique index orders_ref_key on orders (ref)",
        "/* nightly */ VACUUM (ANALYZE) events",
        "-- job\nANALYZE events",
        "REINDEX INDEX CONCURRENTLY orders_idx",
        "ALTER TABLE orders ADD PRIMARY KEY (id)",
        "COPY public.orders (id, total) TO stdout",
        "  CLUSTER orders USING orders_pkey",
    ])
    func maintenanceCommands(_ query: String) {
        #expect(StatementKeywords.isMaintenance(query))
    }

    @Test(arguments: [
        "SELECT * FROM orders ORDER BY created_at",
        "CREATE TABLE report AS SELECT customer_id, sum(total) FROM orders GROUP BY 1",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "UPDATE orders SET status = $1 WHERE id = $2",
        "/* unterminated comment",
        "",
    ])
    func queries(_ query: String) {
        #expect(!StatementKeywords.isMaintenance(query))
    }

    @Test func hiddenTextIsNotMaintenance() {
        #expect(!StatementKeywords.isMaintenance(nil))
    }
}
