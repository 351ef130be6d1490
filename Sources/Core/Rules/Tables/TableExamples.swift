import Model

/// Builders shared by the examples of the table and maintenance rules.
enum TableExamples {
    /// `pg_stats` rows for `table` (`"schema.name"`): one per `(column, avg_width)`, no nulls
    /// unless `nullFraction` names the column.
    static func stats(_ table: String, _ widths: [(String, Int)], nullFraction: [String: Double] = [:]) -> [ColumnStats] {
        let name = Example.qualifiedName(table)
        return widths.map { column, width in
            ColumnStats(schema: name.schema, table: name.name, column: column,
                        nullFraction: nullFraction[column] ?? 0, averageWidth: width)
        }
    }

    /// Columns named and typed as given, numbered from 1, NOT NULL unless listed in `nullable`.
    static func columns(_ list: [(String, String)], nullable: Set<String> = []) -> [Column] {
        list.enumerated().map { index, column in
            Column(name: column.0, position: index + 1, type: column.1, notNull: !nullable.contains(column.0))
        }
    }

    /// The demo's `shop.sessions`: 200,000 rows inserted, 70 % deleted, a tenth updated, then
    /// analyzed without a vacuum, with autovacuum off. 60,000 live rows of about 284 bytes (28
    /// per page) need 2,143 pages; the heap has 7,860.
    static let sessionsColumns: [(String, String, Int)] = [
        ("id", "bigint", 8), ("customer_id", "integer", 4), ("token", "text", 33), ("user_agent", "text", 55),
        ("started_at", "timestamp with time zone", 8), ("last_seen", "timestamp with time zone", 8),
        ("hits", "integer", 4), ("payload", "text", 132),
    ]

    static func sessions(
        activity: TableActivity? = nil, options: [String] = ["autovacuum_enabled=false"], pages: Int64 = 7860
    ) -> TableInfo {
        var table = Example.table(
            "shop.sessions", rows: 60_000, pages: pages,
            columns: columns(sessionsColumns.map { ($0.0, $0.1) }), options: options,
            activity: activity ?? TableActivity(
                seqScans: 3, seqTuplesRead: 180_000, indexScans: 400, indexTuplesFetched: 400, inserted: 0,
                updated: 400, deleted: 0, hotUpdated: 380, liveTuples: 60_000, deadTuples: 400,
                modifiedSinceAnalyze: 400))
        table.allVisiblePages = 0
        return table
    }

    static var sessionsStats: [ColumnStats] {
        stats("shop.sessions", sessionsColumns.map { ($0.0, $0.2) })
    }

    /// A `pgbench -i -s 10` database right after a short pgbench run (PostgreSQL 16): `pgbench -i`
    /// ran VACUUM ANALYZE six minutes ago; since then 3,000 transactions updated accounts,
    /// tellers and branches (so the small tables carry thousands of dead tuples) and appended to
    /// pgbench_history, which has no primary key and is insert-only. No table rule may fire.
    static func pgbench() -> Snapshot {
        let initialized = Example.ago(seconds: 360)
        func activity(
            rows: Int64, dead: Int64, updated: Int64, inserted: Int64 = 0, hot: Int64 = 0
        ) -> TableActivity {
            TableActivity(
                seqScans: 1, seqTuplesRead: rows, indexScans: updated, indexTuplesFetched: updated, inserted: inserted,
                updated: updated, deleted: 0, hotUpdated: hot, liveTuples: rows + inserted, deadTuples: dead,
                modifiedSinceAnalyze: updated + inserted, insertedSinceVacuum: inserted, lastVacuum: initialized,
                lastAnalyze: initialized, vacuumCount: 1, analyzeCount: 1)
        }
        func table(_ name: String, rows: Double, pages: Int64, columns: [(String, String)], activity: TableActivity) -> TableInfo {
            var table = Example.table("public.\(name)", rows: rows, pages: pages,
                                      columns: TableExamples.columns(columns, nullable: ["filler"]), activity: activity,
                                      frozenXidAge: 12_000)
            table.options = name == "pgbench_history" ? [] : ["fillfactor=100"]
            return table
        }
        let tables = [
            table("pgbench_accounts", rows: 1_000_000, pages: 16_450,
                  columns: [("aid", "integer"), ("bid", "integer"), ("abalance", "integer"), ("filler", "character(84)")],
                  activity: activity(rows: 1_000_000, dead: 2_950, updated: 3_000, hot: 2_900)),
            table("pgbench_branches", rows: 10, pages: 12,
                  columns: [("bid", "integer"), ("bbalance", "integer"), ("filler", "character(88)")],
                  activity: activity(rows: 10, dead: 2_990, updated: 3_000, hot: 3_000)),
            table("pgbench_history", rows: 0, pages: 0,
                  columns: [("tid", "integer"), ("bid", "integer"), ("aid", "integer"), ("delta", "integer"),
                            ("mtime", "timestamp without time zone"), ("filler", "character(22)")],
                  activity: activity(rows: 0, dead: 0, updated: 0, inserted: 3_000)),
            table("pgbench_tellers", rows: 100, pages: 16,
                  columns: [("tid", "integer"), ("bid", "integer"), ("tbalance", "integer"), ("filler", "character(84)")],
                  activity: activity(rows: 100, dead: 2_950, updated: 3_000, hot: 3_000)),
        ]
        let stats = stats("public.pgbench_accounts", [("aid", 4), ("bid", 4), ("abalance", 4), ("filler", 85)])
            + stats("public.pgbench_branches", [("bid", 4), ("bbalance", 4), ("filler", 0)], nullFraction: ["filler": 1])
            + stats("public.pgbench_tellers", [("tid", 4), ("bid", 4), ("tbalance", 4), ("filler", 0)],
                    nullFraction: ["filler": 1])
        let keys = [("pgbench_accounts", "aid"), ("pgbench_branches", "bid"), ("pgbench_tellers", "tid")]
        return Example.snapshot(
            versionNumber: 160_004, tables: tables,
            indexes: keys.map { Example.index("public.\($0.0)_pkey", on: "public.\($0.0)", columns: [$0.1], primary: true) },
            columnStats: stats,
            constraints: keys.map {
                ConstraintInfo(schema: "public", name: "\($0.0)_pkey", kind: .primaryKey,
                               table: QualifiedName(schema: "public", name: $0.0), columns: [$0.1], index: "\($0.0)_pkey")
            },
            databases: [
                DatabaseAge(name: "pgbench", frozenXidAge: 13_000, minMultixactAge: 0),
                DatabaseAge(name: "postgres", frozenXidAge: 13_000, minMultixactAge: 0),
                DatabaseAge(name: "template0", frozenXidAge: 13_000, minMultixactAge: 0, allowsConnections: false,
                            isTemplate: true),
                DatabaseAge(name: "template1", frozenXidAge: 13_000, minMultixactAge: 0, isTemplate: true),
            ],
            statsReset: nil)
    }
}
