import Model

/// Tables whose heap holds much more space than their rows need.
public enum TableBloatRule: Rule {
    public static let description = RuleDescription(
        id: "table-bloat",
        title: "Table bloat",
        category: .tables,
        severity: .warning,
        requirements: [.source("tables")],
        summary: "Tables wasting at least 50 % and 10 MB (or 25 % and 1 GB) of their space, measured by pgstattuple_approx when collected with --exact, otherwise estimated from planner statistics.",
        rationale: """
            Dead rows and the free space VACUUM leaves behind make every sequential scan, backup and \
            cache pass read more pages than the rows need. Waste is measured with pgstattuple_approx \
            (free space plus dead tuples) when the snapshot was taken with `--exact`; otherwise it is \
            estimated from `pg_class` and `pg_stats` with the statistical heap model (tuple header, \
            null bitmap, MAXALIGN, average widths, whole tuples per page at the table's fillfactor, \
            four TOAST chunks per page), which is often off by ±20 %. Space the fillfactor reserves on \
            purpose is not counted as waste. A table is reported only when the waste is large in both \
            bytes and share (`min-ratio` and `min-wasted`, or `large-min-ratio` and `large-min-wasted` \
            for big tables, the pgx_scripts filter): small tables always look bloated in relative \
            terms, a fresh table carries some alignment padding the model counts as waste, and a few \
            dead tuples on a busy table are normal. Waste of `critical-wasted` or more is critical \
            (check_postgres). Tables without statistics for every column, never analyzed \
            (reltuples = -1), with a `name` column, and partitioned parents (no storage) are not \
            estimated.
            """,
        manual: "https://www.postgresql.org/docs/current/routine-vacuuming.html#VACUUM-FOR-SPACE-RECOVERY",
        parameters: [
            RuleParameter("min-ratio", .ratio(0.5), "Share of the table that must be wasted (with min-wasted)."),
            RuleParameter("min-wasted", .bytes(10 << 20), "Wasted bytes needed along with min-ratio."),
            RuleParameter("large-min-ratio", .ratio(0.25), "Lower share that suffices for big waste (with large-min-wasted)."),
            RuleParameter("large-min-wasted", .bytes(1 << 30), "Wasted bytes needed along with large-min-ratio."),
            RuleParameter("critical-wasted", .bytes(5 << 30), "Wasted bytes that make a finding critical."),
        ],
        examples: [
            RuleExample("a table with 70 % of its rows deleted and not vacuumed (estimated)",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "sessions"))]),
                        snapshot: Example.snapshot(tables: [TableExamples.sessions()], columnStats: TableExamples.sessionsStats)),
            RuleExample("measured free space and dead tuples", .triggers([.relation(QualifiedName(schema: "shop", name: "events"))]),
                        snapshot: Example.snapshot(tables: [measuredEvents(fillfactor: 100)])),
            RuleExample("measured free space that the fillfactor reserves on purpose", .passes,
                        snapshot: Example.snapshot(tables: [measuredEvents(fillfactor: 50)])),
            RuleExample("a freshly loaded (integer, bigint, integer) table: alignment padding only", .passes,
                        snapshot: Example.snapshot(tables: [paddedTable()], columnStats: paddedStats)),
            RuleExample("a busy table with a few thousand dead tuples", .passes,
                        snapshot: Example.snapshot(tables: [busyTable()], columnStats: busyStats)),
            RuleExample("a small table that is 93 % waste but only 2.3 MB", .passes,
                        snapshot: Example.snapshot(tables: [Example.table("shop.tiny", rows: 2500, pages: 320)],
                                                   columnStats: TableExamples.stats("shop.tiny", [("id", 8), ("payload", 32)]))),
            RuleExample("never analyzed: no estimate", .passes,
                        snapshot: Example.snapshot(tables: [neverAnalyzed()], columnStats: TableExamples.sessionsStats)),
            RuleExample("a small table with lower thresholds", .triggers([.relation(QualifiedName(schema: "shop", name: "tiny"))]),
                        parameters: ["min-wasted": "1MB"],
                        snapshot: Example.snapshot(tables: [Example.table("shop.tiny", rows: 2500, pages: 320)],
                                                   columnStats: TableExamples.stats("shop.tiny", [("id", 8), ("payload", 32)]))),
            RuleExample("planner statistics not collected and nothing measured", .skipped("column_stats was not collected"),
                        snapshot: Example.snapshot(tables: [TableExamples.sessions()], missingSources: ["column_stats": .denied])),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let thresholds = HeapBloatEstimate.Thresholds(
            minRatio: context.parameters.ratio("min-ratio"), minWasted: context.parameters.bytes("min-wasted"),
            largeMinRatio: context.parameters.ratio("large-min-ratio"),
            largeMinWasted: context.parameters.bytes("large-min-wasted"))
        let critical = context.parameters.bytes("critical-wasted")
        let snapshot = context.snapshot
        let statsSource = snapshot.source("column_stats")
        if statsSource?.isUsable != true, !snapshot.tables.contains(where: { $0.exactBloat != nil }) {
            let why = statsSource.map { $0.reason ?? "it was \($0.state.rawValue)" } ?? "it is not in this snapshot"
            throw RuleSkip("column_stats was not collected (\(why)) and no table was measured: "
                + (statsSource?.fix ?? "take a new snapshot") + ", or collect with --exact")
        }
        try skipWithoutVisibleStatistics(context)
        let blockSize = snapshot.server.blockSize
        let databaseBytes = snapshot.database?.sizeBytes ?? snapshot.tables.reduce(0) { $0 + ($1.size?.bytes ?? 0) }
        return snapshot.tables.compactMap { table in
            guard table.kind != .partitioned,
                  let estimate = HeapBloatEstimate.assess(table, facts: context.facts, blockSize: blockSize).estimate,
                  thresholds.isBloated(estimate) else { return nil }
            return finding(table, estimate, critical: critical, databaseBytes: databaseBytes)
        }
    }

    /// A role that may not read the tables (pg_monitor alone) sees no pg_stats rows for them:
    /// when no table with rows has statistics or a measurement, the rule cannot judge, and says why.
    static func skipWithoutVisibleStatistics(_ context: RuleContext) throws(RuleSkip) {
        let tables = context.snapshot.tables.filter { $0.kind != .partitioned && $0.estimatedRows > 0 }
        let blind = tables.filter { $0.exactBloat == nil && context.facts.columnStats($0.qualifiedName).isEmpty }
        guard !tables.isEmpty, blind.count == tables.count else { return }
        throw RuleSkip("no planner statistics are visible for the \(tables.count) table(s) with rows: run ANALYZE, or let the "
            + "role read the tables (pg_stats shows only columns it may SELECT; pg_read_all_data on PostgreSQL 14+), "
            + "or collect with --exact (pgstattuple)")
    }

    static func finding(_ table: TableInfo, _ estimate: HeapBloatEstimate, critical: Int64, databaseBytes: Int64) -> Finding {
        let name = SQLQuoting.qualified(table.qualifiedName)
        let measured = estimate.method != .statistical
        var message = "\(name) has \(measured ? "" : "an estimated ")\(Format.bytes(estimate.wastedBytes)) of wasted space, "
            + "\(Format.percent(estimate.ratio)) of its \(Format.bytes(estimate.actualBytes))"
            + (measured ? " (measured by pgstattuple_approx)" : " (statistical estimate)")
        if let dead = table.activity?.deadTuples, dead > 0 {
            message += "; \(Format.count(dead)) dead tuples await VACUUM"
        }
        message += "."
        var evidence: [Evidence] = [
            Evidence("method", "method", .text(estimate.methodText)),
            Evidence("wastedBytes", "wasted", .bytes(estimate.wastedBytes)),
            Evidence("wastedRatio", "share wasted", .ratio(estimate.ratio)),
            Evidence("tableBytes", measured ? "heap size" : "heap and TOAST size", .bytes(estimate.actualBytes)),
            Evidence("fillfactor", "fillfactor", .count(Int64(estimate.fillfactor))),
        ]
        if estimate.fillfactor < 100 {
            evidence.append(Evidence("extraBytesWithFillfactorReserve", "extra space including the fillfactor reserve",
                                     .bytes(estimate.extraBytes)))
        }
        if case .measured(let scanned) = estimate.method {
            evidence.append(Evidence("scannedPercent", "pages scanned (%)", .number(scanned)))
        }
        evidence.append(Evidence("estimatedRows", "rows (reltuples)", .count(Int64(max(0, table.estimatedRows).rounded()))))
        if let tupleBytes = estimate.tupleBytes, let perPage = estimate.tuplesPerPage,
           let expected = estimate.expectedPages, let actual = estimate.actualPages {
            evidence += [
                Evidence("tupleBytes", "bytes per tuple (model)", .count(Int64(tupleBytes))),
                Evidence("tuplesPerPage", "tuples per page (model)", .count(Int64(perPage))),
                Evidence("expectedPages", "pages the rows need", .count(expected)),
                Evidence("actualPages", "pages in pg_class", .count(actual)),
            ]
        }
        if let activity = table.activity {
            evidence.append(Evidence("deadTuples", "dead tuples", .count(activity.deadTuples)))
            if let last = TableMaintenance.lastVacuum(activity) {
                evidence.append(Evidence("lastVacuum", "last (auto)vacuum", .timestamp(last)))
            }
        }
        var notes: [String] = []
        if !table.autovacuumEnabled {
            evidence.append(Evidence("autovacuumEnabled", "autovacuum enabled", .flag(false)))
            notes.append("Autovacuum is disabled on this table (autovacuum_enabled = false), the likely cause: see autovacuum-disabled.")
        }
        notes.append(measured
            ? "Measured by pgstattuple_approx on the heap only; the TOAST table is not included."
            : "Estimated from planner statistics (often off by ±20 %): alignment padding, dropped columns and "
                + "compressed or out-of-line values skew it. Confirm with pgstattuple_approx (pgadvisor audit --exact) "
                + "before rewriting the table.")
        let score = databaseBytes > 0 ? min(1, Double(estimate.wastedBytes) / Double(databaseBytes)) : 0
        return Finding(
            rule: description.id, severity: estimate.wastedBytes >= critical ? .critical : .warning,
            target: .relation(table.qualifiedName), message: message, evidence: evidence,
            remediations: [
                .vacuum(table.qualifiedName, VacuumOptions()),
                .manual("VACUUM makes the space reusable by new rows of \(name) but does not give it back to the "
                    + "operating system. To shrink the table, rewrite it: VACUUM FULL holds an ACCESS EXCLUSIVE lock "
                    + "for the whole rewrite (off-hours only, and it needs disk space for a full copy), pg_repack "
                    + "rewrites it online (it needs a primary key or a unique index on NOT NULL columns)."),
            ],
            impact: Impact(score: score, summary: "\(Format.bytes(estimate.wastedBytes)) wasted"),
            notes: notes)
    }

    // MARK: Example tables

    /// 64 MB measured: 20 MB free and 15 MB of dead tuples (54.7 %).
    static func measuredEvents(fillfactor: Int) -> TableInfo {
        var table = Example.table("shop.events", rows: 250_000, pages: 8192,
                                  options: fillfactor == 100 ? [] : ["fillfactor=\(fillfactor)"])
        let free: Int64 = fillfactor == 100 ? 20 << 20 : 33 << 20
        let dead: Int64 = fillfactor == 100 ? 15 << 20 : 1 << 20
        table.exactBloat = ExactBloat(
            tableBytes: 64 << 20, scannedPercent: 100, freeBytes: free, freePercent: Double(free) / Double(64 << 20) * 100,
            deadTupleBytes: dead, deadTuplePercent: Double(dead) / Double(64 << 20) * 100)
        return table
    }

    /// 5,000,000 rows of (integer, bigint, integer): the model packs 16 data bytes (185 tuples a
    /// page, 27,028 pages); padding makes them 24 (157 a page, 31,848 pages): 15 % "waste".
    static func paddedTable() -> TableInfo {
        Example.table("shop.measurements", rows: 5_000_000, pages: 31_848,
                      columns: TableExamples.columns([("sensor", "integer"), ("reading", "bigint"), ("site", "integer")]))
    }

    static var paddedStats: [ColumnStats] {
        TableExamples.stats("shop.measurements", [("sensor", 4), ("reading", 8), ("site", 4)])
    }

    /// 1,000,000 rows of 180 bytes: 22,223 pages needed (45 a page), 23,400 held (5 % over), 5,000 dead.
    static func busyTable() -> TableInfo {
        var table = Example.table("shop.accounts", rows: 1_000_000, pages: 23_400)
        table.activity?.deadTuples = 5000
        table.activity?.updated = 2_000_000
        return table
    }

    static var busyStats: [ColumnStats] { TableExamples.stats("shop.accounts", [("id", 8), ("payload", 140)]) }

    /// Like the demo's sessions table, but `reltuples = -1`.
    static func neverAnalyzed() -> TableInfo {
        var table = TableExamples.sessions(options: [])
        table.estimatedRows = -1
        return table
    }
}
