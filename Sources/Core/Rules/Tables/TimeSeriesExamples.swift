import Model

/// The examples of `time-series-table`: an event log read by time ranges (BRIN), a metrics table
/// emptied by DELETE (partitioning), and a table in random order updated everywhere (neither).
enum TimeSeriesExamples {
    static let all: [RuleExample] = [
        RuleExample(
            "app.events: 150 MB appended in time order, read by ranges of created_at, with a 60 MB btree on it",
            .triggers([.column(QualifiedName(schema: "app", name: "events"), "created_at")]),
            snapshot: events()),
        RuleExample(
            "app.metrics: 150 MB appended in time order, old rows removed by DELETE ... WHERE recorded_at < now() - interval '30 days'",
            .triggers([
                .column(QualifiedName(schema: "app", name: "metrics"), "recorded_at"),
                .relation(QualifiedName(schema: "app", name: "metrics")),
            ]),
            snapshot: metrics()),
        RuleExample(
            "app.orders: rows in random order of created_at and updated everywhere", .passes, snapshot: randomOrder()),
        RuleExample(
            "app.events read latest-first (ORDER BY created_at DESC LIMIT 50): only a btree serves that", .passes,
            snapshot: events(extraStatements: [
                Example.statement(704, "SELECT * FROM app.events ORDER BY created_at DESC LIMIT 50", calls: 90_000, meanMs: 0.3),
            ])),
        RuleExample("app.events under min-table-size", .passes, parameters: ["min-table-size": "1GB", "partition-min-size": "1GB"],
                    snapshot: events()),
        RuleExample.withoutSource("column_stats", state: .denied),
    ]

    /// A table of `rows` rows of 32 bytes (about 150 MB for 2.5 million) with an id, a time column and a payload.
    static func timeTable(_ name: String, time: String, rows: Double, activity: TableActivity) -> TableInfo {
        Example.table(name, rows: rows, rowWidth: 32, columns: [
            Column(name: "id", position: 1, type: "bigint", notNull: true, identity: "always"),
            Column(name: time, position: 2, type: "timestamp with time zone", notNull: true),
            Column(name: "payload", position: 3, type: "text"),
        ], activity: activity)
    }

    static func appendOnly(rows: Int64, updated: Int64 = 0, deleted: Int64 = 0) -> TableActivity {
        TableActivity(
            seqScans: 5, seqTuplesRead: rows * 5, indexScans: 40_000, indexTuplesFetched: 4_000_000,
            inserted: rows + deleted, updated: updated, deleted: deleted, liveTuples: rows, deadTuples: deleted / 10,
            lastAutovacuum: Example.ago(days: 1), lastAutoanalyze: Example.ago(days: 1), autovacuumCount: 30)
    }

    static func stats(_ table: String, time: String, correlation: Double) -> [ColumnStats] {
        [
            ColumnStats(schema: "app", table: table, column: "id", averageWidth: 8, distinctValues: -1, correlation: correlation),
            ColumnStats(schema: "app", table: table, column: time, averageWidth: 8, distinctValues: -0.95,
                        correlation: correlation),
        ]
    }

    static func events(extraStatements: [StatementStats] = []) -> Snapshot {
        Example.snapshot(
            statements: [
                Example.statement(701, "SELECT count(*) FROM app.events WHERE created_at >= $1 AND created_at < $2",
                                  calls: 5000, meanMs: 40, rows: 5000, hit: 5000 * 300),
                Example.statement(702, "INSERT INTO app.events (created_at, payload) VALUES ($1, $2)",
                                  calls: 2_500_000, meanMs: 0.05),
            ] + extraStatements,
            tables: [timeTable("app.events", time: "created_at", rows: 2_500_000, activity: appendOnly(rows: 2_500_000))],
            indexes: [
                Example.index("app.events_pkey", on: "app.events", columns: ["id"], primary: true, rows: 2_500_000, pages: 6900),
                Example.index("app.events_created_at_idx", on: "app.events", columns: ["created_at"],
                              scans: 5000, rows: 2_500_000, pages: 7700),
            ],
            columnStats: stats("events", time: "created_at", correlation: 0.998))
    }

    static func metrics() -> Snapshot {
        Example.snapshot(
            statements: [
                Example.statement(711, "SELECT avg(value) FROM app.metrics WHERE recorded_at BETWEEN $1 AND $2",
                                  calls: 2000, meanMs: 300, rows: 2000, hit: 2000 * 19_000),
                Example.statement(712, "DELETE FROM app.metrics WHERE recorded_at < now() - interval '30 days'",
                                  calls: 30, meanMs: 20_000, rows: 30 * 40_000),
            ],
            tables: [timeTable("app.metrics", time: "recorded_at", rows: 2_500_000,
                               activity: appendOnly(rows: 2_500_000, deleted: 1_200_000))],
            indexes: [
                Example.index("app.metrics_pkey", on: "app.metrics", columns: ["id"], primary: true, rows: 2_500_000, pages: 6900),
            ],
            columnStats: stats("metrics", time: "recorded_at", correlation: 0.97))
    }

    static func randomOrder() -> Snapshot {
        Example.snapshot(
            statements: [
                Example.statement(721, "SELECT * FROM app.orders WHERE created_at >= $1 AND created_at < $2",
                                  calls: 3000, meanMs: 80, rows: 3000 * 200),
                Example.statement(722, "UPDATE app.orders SET payload = $1, created_at = $2 WHERE id = $3",
                                  calls: 7_000_000, meanMs: 0.2),
                Example.statement(723, "DELETE FROM app.orders WHERE created_at < $1", calls: 10, meanMs: 9000),
            ],
            tables: [timeTable("app.orders", time: "created_at", rows: 2_500_000,
                               activity: appendOnly(rows: 2_500_000, updated: 7_000_000, deleted: 600_000))],
            indexes: [
                Example.index("app.orders_pkey", on: "app.orders", columns: ["id"], primary: true, rows: 2_500_000, pages: 6900),
            ],
            columnStats: stats("orders", time: "created_at", correlation: 0.03))
    }
}
