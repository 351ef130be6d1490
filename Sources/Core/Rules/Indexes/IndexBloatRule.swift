import Model

/// Btree indexes much larger than a fresh build of their rows would be.
public enum IndexBloatRule: Rule {
    public static let description = RuleDescription(
        id: "index-bloat",
        title: "Bloated btree index",
        category: .indexes,
        severity: .warning,
        requirements: [.source("indexes"), .source("column_stats")],
        summary: "Btree indexes whose estimated wasted space is at least `min-wasted` and at least `min-ratio` of their size, by the statistical btree model of ioguix's btree_bloat.sql.",
        rationale: """
            Page splits and deletions leave btree pages partly empty, and VACUUM cannot merge them \
            back: a bloated index reads more pages per lookup, takes more cache and disk, and makes \
            every VACUUM longer. The size a fresh btree would have is estimated from `reltuples` and \
            the planner's column widths and null fractions (line pointer, MAXALIGNed tuple header \
            and data over key and INCLUDE columns, 24-byte page header, 16-byte btree special space, \
            fillfactor from the definition or the btree default 90, one metapage) and compared with \
            `relpages`. Both a size and a share are required, because small indexes always look \
            bloated to a statistical model: `min-wasted` 10 MB and `min-ratio` 50 % are pgx_scripts' \
            btree thresholds (`pct > 50 AND > 10 MB`). PgHero and Postgres MCP Pro use 100 MB alone, \
            which hides a 60 MB index that is 80 % empty — worth a REINDEX CONCURRENTLY, which blocks \
            nothing — while the 50 % share already keeps the model's ±20 % error from raising false \
            alarms. Indexes the model cannot size are left out without a finding: expression keys \
            (their statistics live under the index, not collected), non-btree methods, `name` \
            columns, columns without statistics, and indexes never analyzed. PostgreSQL 13+ \
            deduplication makes indexes on repetitive values smaller than the model, which hides \
            bloat rather than inventing it. The rule is skipped when no large index has any \
            statistics to read, which usually means the role may not read `pg_stats`.
            """,
        manual: "https://www.postgresql.org/docs/current/routine-reindex.html",
        parameters: [
            RuleParameter("min-wasted", .bytes(10 * 1_048_576), "Estimated wasted bytes from which an index is reported."),
            RuleParameter("min-ratio", .ratio(0.5), "Estimated wasted share of the index's size from which it is reported."),
        ],
        examples: [
            RuleExample(
                "an index on an integer column at three times its expected size",
                .triggers([.relation(QualifiedName(schema: "shop", name: "orders_customer_id_idx"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 1_000_000)],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true,
                                      rows: 1_000_000, pages: 2800),
                        Example.index("shop.orders_customer_id_idx", on: "shop.orders", columns: ["customer_id"],
                                      rows: 1_000_000, pages: 8000),
                    ],
                    columnStats: [
                        ColumnStats(schema: "shop", table: "orders", column: "id", averageWidth: 8),
                        ColumnStats(schema: "shop", table: "orders", column: "customer_id", averageWidth: 4),
                    ])),
            RuleExample(
                "healthy, small, expression and GIN indexes",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 1_000_000)],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true,
                                      rows: 1_000_000, pages: 2800),
                        // 60 % wasted but only about 3.4 MB.
                        Example.index("shop.orders_status_idx", on: "shop.orders", columns: ["status"],
                                      rows: 100_000, pages: 700),
                        IndexExamples.modified(
                            Example.index("shop.orders_lower_note_idx", on: "shop.orders", columns: ["note"],
                                          rows: 1_000_000, pages: 20_000)
                        ) { $0.columns = [IndexColumn(column: nil, expression: "lower(note)", opclass: "text_ops")] },
                        Example.index("shop.orders_tags_idx", on: "shop.orders", columns: ["tags"], method: "gin",
                                      rows: 1_000_000, pages: 20_000),
                    ],
                    columnStats: [
                        ColumnStats(schema: "shop", table: "orders", column: "id", averageWidth: 8),
                        ColumnStats(schema: "shop", table: "orders", column: "status", averageWidth: 8),
                        ColumnStats(schema: "shop", table: "orders", column: "note", nullFraction: 0.3, averageWidth: 40),
                        ColumnStats(schema: "shop", table: "orders", column: "tags", averageWidth: 60),
                    ])),
            RuleExample(
                "an index built with fillfactor 50: bloated at 90, not at 50",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 1_000_000)],
                    indexes: [
                        IndexExamples.modified(
                            Example.index("shop.orders_customer_id_idx", on: "shop.orders", columns: ["customer_id"],
                                          rows: 1_000_000, pages: 5600)
                        ) { $0.definition = ($0.definition ?? "") + " WITH (fillfactor='50')" },
                    ],
                    columnStats: [
                        ColumnStats(schema: "shop", table: "orders", column: "customer_id", averageWidth: 4),
                    ])),
            RuleExample.withoutSource("column_stats", state: .denied, "column statistics not collected"),
            RuleExample(
                "a large index but no statistics visible",
                .skipped("no planner statistics"),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 1_000_000)],
                    indexes: [
                        Example.index("shop.orders_customer_id_idx", on: "shop.orders", columns: ["customer_id"],
                                      rows: 1_000_000, pages: 8000),
                    ])),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let minWasted = context.parameters.bytes("min-wasted")
        let minRatio = context.parameters.ratio("min-ratio")
        let snapshot = context.snapshot
        let blockSize = snapshot.server.blockSize
        var findings: [Finding] = []
        var largeIndexes = 0
        var largeWithoutStatistics = 0
        for index in snapshot.indexes where index.isValid && index.method == "btree" {
            // Wasted bytes cannot exceed the index's size: skip the small ones before any work.
            guard index.pages * Int64(blockSize) >= minWasted, index.estimatedRows > 0 else { continue }
            largeIndexes += 1
            let stats = context.facts.columnStats(index.table)
            if stats.isEmpty { largeWithoutStatistics += 1 }
            guard case .success(let estimate) = BtreeBloatEstimate.estimate(
                for: index, stats: stats, table: context.facts.table(index.table), blockSize: blockSize,
                maxAlign: context.facts.maxAlign)
            else { continue }
            guard estimate.wastedBytes >= minWasted, estimate.wastedRatio >= minRatio else { continue }
            findings.append(finding(index, estimate: estimate, context: context))
        }
        if largeIndexes > 0 && largeWithoutStatistics == largeIndexes {
            throw RuleSkip(
                "no planner statistics are visible for the tables of the \(largeIndexes) large btree index(es): run "
                    + "ANALYZE, or let the role read the tables (pg_stats shows only columns it may SELECT; "
                    + "pg_read_all_data on PostgreSQL 14+)")
        }
        return findings
    }

    private static func finding(_ index: IndexInfo, estimate: BtreeBloatEstimate, context: RuleContext) -> Finding {
        let snapshot = context.snapshot
        let name = SQLQuoting.qualified(index.qualifiedName)
        var evidence: [Evidence] = [
            Evidence("actualBytes", "size (relpages)", .bytes(estimate.actualBytes)),
            Evidence("expectedBytes", "expected size", .bytes(estimate.expectedBytes)),
            Evidence("wastedBytes", "estimated waste", .bytes(estimate.wastedBytes)),
            Evidence("wastedRatio", "estimated waste share", .ratio(estimate.wastedRatio)),
            Evidence("rows", "rows", .count(Int64(index.estimatedRows.rounded()))),
            Evidence("tupleBytes", "bytes per index entry", .count(Int64(estimate.tupleBytes))),
            Evidence("fillfactor", "fillfactor", .count(Int64(estimate.fillfactor))),
            Evidence("method", "method", .text("statistical estimate (btree model)")),
        ]
        if let size = index.size, size.bytes != estimate.actualBytes {
            evidence.append(Evidence("sizeBytes", "size (measured)", .bytes(size.bytes)))
        }
        var notes = [
            "This is a statistical estimate (often off by ±20 %); confirm with pgstatindex() from pgstattuple: "
                + "avg_leaf_density well below the fillfactor (\(estimate.fillfactor)) confirms the bloat.",
        ]
        if snapshot.server.versionNumber >= 130_000 {
            notes.append("Deduplication (PostgreSQL 13+) makes indexes on repeated values smaller than the model "
                + "expects, so the real waste may be larger than estimated.")
        }
        if snapshot.server.versionNumber < 120_000 {
            notes.append("REINDEX CONCURRENTLY needs PostgreSQL 12: on this server, CREATE INDEX CONCURRENTLY a copy, "
                + "then drop the old index and rename the copy.")
        }
        return Finding(
            rule: description.id, severity: .warning, target: .relation(index.qualifiedName),
            message: "index \(name) on \(SQLQuoting.qualified(index.table)) takes \(Format.bytes(estimate.actualBytes)) "
                + "where a fresh btree of its \(Format.rows(index.estimatedRows)) rows would take about "
                + "\(Format.bytes(estimate.expectedBytes)): about \(Format.bytes(estimate.wastedBytes)) "
                + "(\(Format.percent(estimate.wastedRatio, digits: 0))) is wasted (statistical estimate).",
            evidence: evidence,
            remediations: [.reindex(index.qualifiedName)],
            impact: Impact(
                score: IndexFacts.shareOfDatabase(estimate.wastedBytes, snapshot),
                summary: "about \(Format.bytes(estimate.wastedBytes)) of index bloat"),
            notes: notes)
    }
}
