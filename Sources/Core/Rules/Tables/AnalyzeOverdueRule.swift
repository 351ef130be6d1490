import Model

/// Tables whose planner statistics are missing, or stale past the autoanalyze trigger.
public enum AnalyzeOverdueRule: Rule {
    public static let description = RuleDescription(
        id: "analyze-overdue",
        title: "Analyze overdue",
        category: .tables,
        severity: .warning,
        requirements: [.source("tables")],
        summary: "Tables holding rows that were never analyzed, and tables whose rows modified since the last analyze are past the autoanalyze trigger while no analyze has run for `max-age` (1 day).",
        rationale: """
            The planner estimates row counts from the statistics ANALYZE gathers; without them, or with \
            statistics from before a large change, it picks bad join orders and scan methods. \
            Autovacuum analyzes a table once the rows modified since the last analyze exceed \
            `autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × reltuples` (the table's own \
            storage parameters take precedence). Being past that trigger is normal for a moment, so a \
            table is reported only when no manual or automatic analyze has run for `max-age` either \
            (check_postgres' last_analyze default); when none is recorded, the time since the statistics \
            began counts (a statistics reset clears the timestamps, so a missing timestamp alone does not \
            mean "never"). A table counts as never analyzed when reltuples is -1 (PostgreSQL 14+) and no \
            analyze is recorded (analyzing an empty table leaves reltuples at -1), or \
            when no analyze is recorded and it has no pg_stats rows at all while the role may read every \
            table's statistics (superuser or pg_read_all_data); it must hold rows. Partitioned parents \
            (autovacuum never analyzes them), tables an autovacuum worker is analyzing right now, and \
            tables with autovacuum_enabled = false (autovacuum-disabled reports them) are left out.
            """,
        manual: "https://www.postgresql.org/docs/current/routine-vacuuming.html#VACUUM-FOR-STATISTICS",
        parameters: [
            RuleParameter("max-age", .duration(seconds: 86_400), "A table analyzed more recently than this is not reported."),
        ],
        examples: [
            RuleExample("half a million changed rows and no analyze for four days",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "orders"))]),
                        snapshot: Example.snapshot(tables: [staleTable()])),
            RuleExample("a table never analyzed (reltuples = -1) holding rows",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "imports"))]),
                        snapshot: Example.snapshot(tables: [neverAnalyzed()])),
            RuleExample("analyzed while empty minutes ago, rows inserted since (reltuples still -1)", .passes,
                        snapshot: Example.snapshot(tables: [analyzedWhileEmpty()])),
            RuleExample("vacuumed but never analyzed: no pg_stats rows, seen by a superuser",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "staging"))]),
                        snapshot: vacuumedOnly()),
            RuleExample("pgbench right after initialization: modified rows, analyzed minutes ago", .passes,
                        snapshot: TableExamples.pgbench()),
            RuleExample("statistics reset an hour ago: no timestamps, but pg_stats rows show earlier analyzes", .passes,
                        snapshot: afterReset()),
            RuleExample("an empty table never analyzed", .passes, snapshot: Example.snapshot(tables: [emptyNeverAnalyzed()])),
            RuleExample("track_counts off", .skipped("track_counts is off"), snapshot: Example.snapshot(
                settings: [Example.setting("track_counts", "off", context: "superuser")], tables: [staleTable()])),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        let settings = AutovacuumSettings(snapshot)
        guard settings.trackCounts else {
            throw RuleSkip("track_counts is off, so the modification counters are not kept: turn it on (autovacuum-disabled reports it)")
        }
        let maxAge = context.parameters.seconds("max-age")
        let workers = TableMaintenance.autovacuumWorkers(snapshot.sessions)
        return snapshot.tables.compactMap { table -> Finding? in
            guard table.kind != .partitioned, table.autovacuumEnabled,
                  TableMaintenance.worker(for: table, in: workers)?.analyzes != true else { return nil }
            if let never = neverAnalyzedReason(table, context: context) {
                guard holdsRows(table, blockSize: snapshot.server.blockSize) else { return nil }
                return neverAnalyzedFinding(table, why: never, settings: settings)
            }
            guard let activity = table.activity,
                  let overdue = Overdue(table, activity, settings: settings, context: context),
                  overdue.quiet.atLeast(maxAge) else { return nil }
            return staleFinding(overdue, settings: settings, maxAge: maxAge)
        }
    }

    /// Why the table counts as never analyzed, nil when it may have been: reltuples is -1 and no
    /// analyze is recorded, or no analyze is recorded and a role that sees every table's
    /// statistics finds no pg_stats rows for it.
    private static func neverAnalyzedReason(_ table: TableInfo, context: RuleContext) -> String? {
        let snapshot = context.snapshot
        let noAnalyzeRecorded = table.activity.map {
            $0.lastAnalyze == nil && $0.lastAutoanalyze == nil && $0.analyzeCount == 0 && $0.autoanalyzeCount == 0
        } ?? true
        // An ANALYZE of a table while it was empty leaves reltuples at -1 but records the
        // analyze: that table falls under the ordinary trigger and age.
        guard noAnalyzeRecorded else { return nil }
        if table.estimatedRows < 0 { return "reltuples is -1: never vacuumed or analyzed" }
        let seesAllStats = snapshot.role.isSuperuser || snapshot.role.pgReadAllData
        let statsCollected = snapshot.source("column_stats")?.isUsable == true
        guard seesAllStats, statsCollected, !table.columns.isEmpty,
              context.facts.columnStats(table.qualifiedName).isEmpty else { return nil }
        return "no analyze recorded and no planner statistics (pg_stats) for any column"
    }

    /// Whether the statistics, reltuples or the heap's size say the table holds rows.
    private static func holdsRows(_ table: TableInfo, blockSize: Int) -> Bool {
        (table.activity?.liveTuples ?? 0) > 0 || table.estimatedRows > 0
            || TableMaintenance.heapBytes(table, blockSize: blockSize) > 0
    }

    /// A table holding rows that has no planner statistics at all.
    private static func neverAnalyzedFinding(
        _ table: TableInfo, why never: String, settings: AutovacuumSettings
    ) -> Finding {
        let liveTuples = table.activity?.liveTuples ?? 0
        var evidence: [Evidence] = [
            Evidence("neverAnalyzed", "why never analyzed", .text(never)),
            Evidence("estimatedRows", "rows (reltuples)", .number(table.estimatedRows)),
            Evidence("liveTuples", "live tuples (statistics)", .count(liveTuples)),
        ]
        if let modified = table.activity?.modifiedSinceAnalyze {
            evidence.append(Evidence("modifiedSinceAnalyze", "rows modified since analyze", .count(modified)))
        }
        return Finding(
            rule: description.id, severity: .warning, target: .relation(table.qualifiedName),
            message: "\(SQLQuoting.qualified(table.qualifiedName)) holds rows (\(Format.count(liveTuples)) live tuples "
                + "counted) but was never analyzed: the planner guesses its row counts and value distributions.",
            evidence: evidence + settings.defaultedEvidence,
            remediations: [.analyze(table.qualifiedName)],
            impact: Impact(score: 1, summary: "no planner statistics"),
            notes: ["A table loaded within the last minute may simply not have been reached by autovacuum yet."])
    }

    /// A table whose rows modified since the last analyze are past the autoanalyze trigger.
    private struct Overdue {
        let table: TableInfo
        let activity: TableActivity
        let trigger: AutovacuumTrigger
        /// How long no manual or automatic analyze has run.
        let quiet: TableMaintenance.Quiet
        /// The modified rows as a share of the table's rows.
        let share: Double

        /// The modified rows that trigger autoanalyze, as the message and evidence print them.
        var triggerRows: Int64 { Int64(trigger.value.rounded(.down)) }

        /// nil when the table is not past the trigger.
        init?(_ table: TableInfo, _ activity: TableActivity, settings: AutovacuumSettings, context: RuleContext) {
            trigger = settings.analyzeTrigger(table)
            guard trigger.isExceeded(by: activity.modifiedSinceAnalyze) else { return nil }
            self.table = table
            self.activity = activity
            quiet = TableMaintenance.quiet(since: TableMaintenance.lastAnalyze(activity), context: context)
            let rows = max(1, max(table.estimatedRows, Double(activity.liveTuples)))
            share = min(1, Double(activity.modifiedSinceAnalyze) / rows)
        }
    }

    /// A table past the autoanalyze trigger that no analyze has reached for `max-age`.
    private static func staleFinding(_ overdue: Overdue, settings: AutovacuumSettings, maxAge: Double) -> Finding {
        let table = overdue.table
        let activity = overdue.activity
        let share = overdue.share
        let message = "\(SQLQuoting.qualified(table.qualifiedName)) has \(Format.count(activity.modifiedSinceAnalyze)) "
            + "rows modified since its last analyze (\(Format.percent(share)) of its rows), past the autoanalyze "
            + "trigger of \(Format.count(overdue.triggerRows)), and "
            + TableMaintenance.noRunText("analyze", last: TableMaintenance.lastAnalyze(activity), quiet: overdue.quiet)
            + (settings.autovacuum ? ": its planner statistics are stale." : ": autovacuum is off server-wide.")
        return Finding(
            rule: description.id, severity: .warning, target: .relation(table.qualifiedName), message: message,
            evidence: staleEvidence(overdue, settings: settings, maxAge: maxAge) + settings.defaultedEvidence,
            remediations: [.analyze(table.qualifiedName)],
            impact: Impact(score: share, summary: "\(Format.percent(share)) of rows changed since the statistics"))
    }

    /// The modified rows against the trigger, the last analyzes, and how long none ran.
    private static func staleEvidence(_ overdue: Overdue, settings: AutovacuumSettings, maxAge: Double) -> [Evidence] {
        let activity = overdue.activity
        var evidence: [Evidence] = [
            Evidence("modifiedSinceAnalyze", "rows modified since analyze", .count(activity.modifiedSinceAnalyze)),
            Evidence("estimatedRows", "rows (reltuples)", .count(Int64(overdue.table.estimatedRows.rounded()))),
            Evidence("modifiedShare", "modified share of rows", .ratio(overdue.share)),
            Evidence("analyzeTriggerRows", "analyze trigger (modified rows)", .count(overdue.triggerRows)),
            Evidence("analyzeTrigger", "analyze trigger formula", .text(overdue.trigger.formula)),
        ]
        if let last = activity.lastAnalyze { evidence.append(Evidence("lastAnalyze", "last manual analyze", .timestamp(last))) }
        if let last = activity.lastAutoanalyze {
            evidence.append(Evidence("lastAutoanalyze", "last autoanalyze", .timestamp(last)))
        }
        evidence += [
            Evidence("sinceLastAnalyze", "since the last analyze", .text(overdue.quiet.text)),
            Evidence("maxAgeMs", "max-age", .milliseconds(maxAge * 1000)),
        ]
        if !settings.autovacuum { evidence.append(Evidence("autovacuum", "autovacuum setting", .flag(false))) }
        return evidence
    }

    // MARK: Example tables

    /// 1,000,000 rows, 500,000 modified since the autoanalyze four days ago (trigger 100,050).
    static func staleTable() -> TableInfo {
        Example.table("shop.orders", rows: 1_000_000, activity: TableActivity(
            seqScans: 5, seqTuplesRead: 5_000_000, indexScans: 1_000_000, indexTuplesFetched: 1_000_000,
            inserted: 500_000, updated: 100_000, liveTuples: 1_500_000, deadTuples: 1000, modifiedSinceAnalyze: 500_000,
            lastAutovacuum: Example.ago(seconds: 7200), lastAutoanalyze: Example.ago(days: 4), autovacuumCount: 30,
            autoanalyzeCount: 20))
    }

    /// Loaded by COPY, never vacuumed nor analyzed: reltuples -1, 80,000 live tuples counted.
    static func neverAnalyzed() -> TableInfo {
        var table = Example.table("shop.imports", rows: 80_000, activity: TableActivity(
            inserted: 80_000, liveTuples: 80_000, modifiedSinceAnalyze: 80_000, insertedSinceVacuum: 80_000))
        table.estimatedRows = -1
        return table
    }

    /// Analyzed while empty ten minutes ago, rows inserted since (pgbench_history after a run):
    /// reltuples is still -1, but the analyze is recorded and recent.
    static func analyzedWhileEmpty() -> TableInfo {
        var table = Example.table("shop.history", rows: 0, activity: TableActivity(
            inserted: 1000, liveTuples: 1000, modifiedSinceAnalyze: 1000, insertedSinceVacuum: 1000,
            lastVacuum: Example.ago(seconds: 600), lastAnalyze: Example.ago(seconds: 600), vacuumCount: 1,
            analyzeCount: 1))
        table.estimatedRows = -1
        return table
    }

    /// An empty table created long ago and never used: reltuples -1, no rows.
    static func emptyNeverAnalyzed() -> TableInfo {
        var table = Example.table("shop.archive", rows: 0, activity: TableActivity())
        table.estimatedRows = -1
        return table
    }

    /// Analyzed before the statistics were reset an hour ago (its pg_stats rows remain); 30,000
    /// rows changed since (trigger 10,050). The role sees every table's statistics.
    static func afterReset() -> Snapshot {
        var snapshot = Example.snapshot(
            tables: [Example.table("shop.orders", rows: 100_000, activity: TableActivity(
                inserted: 30_000, liveTuples: 130_000, modifiedSinceAnalyze: 30_000, insertedSinceVacuum: 30_000))],
            columnStats: TableExamples.stats("shop.orders", [("id", 8), ("payload", 40)]),
            statsReset: Example.ago(seconds: 3600))
        snapshot.role.isSuperuser = true
        return snapshot
    }

    /// PostgreSQL 13: vacuumed two days ago (so reltuples is set) but never analyzed; a superuser
    /// sees no pg_stats rows for it.
    static func vacuumedOnly() -> Snapshot {
        var snapshot = Example.snapshot(versionNumber: 130_012, tables: [
            Example.table("shop.staging", rows: 50_000, activity: TableActivity(
                inserted: 50_000, liveTuples: 50_000, modifiedSinceAnalyze: 50_000, insertedSinceVacuum: 0,
                lastVacuum: Example.ago(days: 2), vacuumCount: 1)),
        ])
        snapshot.role.isSuperuser = true
        return snapshot
    }
}
