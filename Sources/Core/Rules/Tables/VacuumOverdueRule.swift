import Model

/// Tables past their autovacuum trigger that nothing has vacuumed for a day.
public enum VacuumOverdueRule: Rule {
    public static let description = RuleDescription(
        id: "vacuum-overdue",
        title: "Vacuum overdue",
        category: .tables,
        severity: .warning,
        requirements: [.source("tables")],
        summary: "Tables whose dead tuples (or, on PostgreSQL 13+, rows inserted since the last vacuum) are past the autovacuum trigger while no vacuum has run for `max-age` (1 day): autovacuum should have run but did not.",
        rationale: """
            Autovacuum vacuums a table once its dead tuples exceed `autovacuum_vacuum_threshold + \
            autovacuum_vacuum_scale_factor × reltuples` (capped by autovacuum_vacuum_max_threshold on \
            PostgreSQL 18), or its inserts since the last vacuum exceed the insert trigger \
            (PostgreSQL 13+); the table's own storage parameters override the settings. Being past the \
            trigger is normal for a moment, so a table is reported only when no manual or automatic \
            vacuum has run for `max-age` either (check_postgres' last_vacuum default): a busy small table \
            that collects thousands of dead tuples a minute after its last vacuum is healthy. When no \
            vacuum is recorded, the time since the statistics began counts. Tables an autovacuum worker \
            is processing right now are left out, and so are tables with autovacuum_enabled = false \
            (autovacuum-disabled reports them, with the same numbers). The session holding the xmin \
            horizon back the most is named when its xmin is `horizon-age` transactions old: VACUUM \
            cannot remove rows that died after it started (prepared transactions, replication slots \
            and standby feedback can do the same but are not in the snapshot). With autovacuum off \
            server-wide the tables are still reported, saying so (autovacuum-disabled reports the \
            setting). For tables of more than \
            `large-table-rows` rows the fix also lowers the table's scale factor to \
            `large-table-scale-factor`, since 20 % of a large table is a lot of dead rows.
            """,
        manual: "https://www.postgresql.org/docs/current/routine-vacuuming.html#AUTOVACUUM",
        parameters: [
            RuleParameter("max-age", .duration(seconds: 86_400), "A table vacuumed more recently than this is not reported."),
            RuleParameter("large-table-rows", .count(1_000_000), "Tables with more rows also get a lower per-table scale factor."),
            RuleParameter("large-table-scale-factor", .number(0.01), "The scale factor suggested for large tables."),
            RuleParameter("horizon-age", .count(1_000_000), "xmin age (transactions) from which the oldest snapshot holder is named."),
        ],
        examples: [
            RuleExample("300,000 dead tuples and no vacuum for three days",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "orders"))]),
                        snapshot: Example.snapshot(tables: [deadTable()])),
            RuleExample("an insert-only table never vacuumed", .triggers([.relation(QualifiedName(schema: "shop", name: "events"))]),
                        snapshot: Example.snapshot(tables: [insertOnly()])),
            RuleExample("an old snapshot held by an idle transaction", .triggers([.relation(QualifiedName(schema: "shop", name: "orders"))]),
                        snapshot: Example.snapshot(tables: [deadTable()], sessions: [
                            SessionInfo(pid: 4242, database: "app", user: "report", state: "idle in transaction",
                                        transactionStart: Example.ago(days: 3), xminAge: 25_000_000),
                        ])),
            RuleExample("pgbench right after initialization: many dead tuples, vacuumed minutes ago", .passes,
                        snapshot: TableExamples.pgbench()),
            RuleExample("dead tuples below the trigger of a table's own threshold", .passes, snapshot: Example.snapshot(tables: [
                deadTable(options: ["autovacuum_vacuum_threshold=500000"]),
            ])),
            RuleExample("an autovacuum worker is on it", .passes, snapshot: Example.snapshot(tables: [deadTable()], sessions: [
                SessionInfo(pid: 777, database: "app", backendType: "autovacuum worker", state: "active",
                            query: "autovacuum: VACUUM shop.orders"),
            ])),
            RuleExample("autovacuum disabled on the table (reported by autovacuum-disabled)", .passes,
                        snapshot: Example.snapshot(tables: [deadTable(options: ["autovacuum_enabled=false"])])),
            RuleExample("track_counts off", .skipped("track_counts is off"), snapshot: Example.snapshot(
                settings: [Example.setting("track_counts", "off", context: "superuser")], tables: [deadTable()])),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        let settings = AutovacuumSettings(snapshot)
        guard settings.trackCounts else {
            throw RuleSkip("track_counts is off, so the dead tuple counters are not kept: turn it on (autovacuum-disabled reports it)")
        }
        let maxAge = context.parameters.seconds("max-age")
        let horizonAge = context.parameters.count("horizon-age")
        let workers = TableMaintenance.autovacuumWorkers(snapshot.sessions)
        let holder = TableMaintenance.oldestXminHolder(snapshot.sessions).flatMap { $0.age >= horizonAge ? $0 : nil }
        return snapshot.tables.compactMap { table -> Finding? in
            guard table.kind != .partitioned, table.autovacuumEnabled, let activity = table.activity,
                  TableMaintenance.worker(for: table, in: workers)?.vacuums != true,
                  let overdue = Overdue(table, activity, settings: settings, context: context),
                  overdue.quiet.atLeast(maxAge) else { return nil }
            return finding(overdue, settings: settings, holder: holder, context: context)
        }
    }

    /// A table past its vacuum trigger or its insert trigger, with the numbers that say so.
    private struct Overdue {
        let table: TableInfo
        let activity: TableActivity
        let vacuum: AutovacuumTrigger
        /// The insert trigger and the rows inserted since the last vacuum (PostgreSQL 13+).
        let insert: (trigger: AutovacuumTrigger, inserted: Int64)?
        let deadPast: Bool
        let insertPast: Bool
        /// How long no manual or automatic vacuum has run.
        let quiet: TableMaintenance.Quiet
        /// Dead tuples as a share of live and dead ones, and the heap space that makes (an estimate).
        let deadShare: Double
        let deadBytes: Int64

        /// The dead tuples that trigger autovacuum, as the message and evidence print them.
        var vacuumTriggerTuples: Int64 { Int64(vacuum.value.rounded(.down)) }

        /// nil when the table is past neither trigger.
        init?(_ table: TableInfo, _ activity: TableActivity, settings: AutovacuumSettings, context: RuleContext) {
            vacuum = settings.vacuumTrigger(table)
            insert = settings.insertTrigger(table).flatMap { trigger in
                activity.insertedSinceVacuum.map { (trigger, $0) }
            }
            deadPast = vacuum.isExceeded(by: activity.deadTuples)
            insertPast = insert.map { $0.trigger.isExceeded(by: $0.inserted) } ?? false
            guard deadPast || insertPast else { return nil }
            self.table = table
            self.activity = activity
            quiet = TableMaintenance.quiet(since: TableMaintenance.lastVacuum(activity), context: context)
            let rows = activity.liveTuples + activity.deadTuples
            deadShare = rows > 0 ? Double(activity.deadTuples) / Double(rows) : 0
            let heapBytes = TableMaintenance.heapBytes(table, blockSize: context.snapshot.server.blockSize)
            deadBytes = Int64(Double(heapBytes) * deadShare)
        }
    }

    /// One overdue table, naming the session that holds the xmin horizon back when there is one.
    private static func finding(
        _ overdue: Overdue, settings: AutovacuumSettings, holder: (session: SessionInfo, age: Int64)?,
        context: RuleContext
    ) -> Finding {
        let table = overdue.table
        var evidence = evidence(overdue, settings: settings, maxAge: context.parameters.seconds("max-age"))
        var notes: [String] = []
        if let holder {
            evidence += TableMaintenance.holderEvidence(holder)
            notes.append("\(TableMaintenance.holderText(holder)) holds a snapshot \(Format.magnitude(holder.age)) "
                + "transactions old: VACUUM cannot remove rows that died after it began. End that transaction first.")
        }
        notes.append("Autovacuum can fall behind when its autovacuum_max_workers are busy with large tables or "
            + "throttled by the cost limit; prepared transactions, replication slots and standby feedback (not "
            + "in the snapshot) can also hold dead rows back.")
        return Finding(
            rule: description.id, severity: .warning, target: .relation(table.qualifiedName),
            message: message(overdue, settings: settings),
            evidence: evidence + settings.defaultedEvidence,
            remediations: remediations(overdue, parameters: context.parameters),
            impact: Impact(score: overdue.deadShare, summary: overdue.deadPast
                ? "\(Format.percent(overdue.deadShare)) of rows dead (about \(Format.bytes(overdue.deadBytes)))"
                : "inserted rows not yet vacuumed"),
            notes: notes)
    }

    /// Which trigger the table is past and by how much, how long no vacuum ran, and whether
    /// autovacuum should have run.
    private static func message(_ overdue: Overdue, settings: AutovacuumSettings) -> String {
        let activity = overdue.activity
        var reasons: [String] = []
        if overdue.deadPast {
            reasons.append("\(Format.count(activity.deadTuples)) dead tuples (\(Format.percent(overdue.deadShare)) of its "
                + "rows), past the autovacuum trigger of \(Format.count(overdue.vacuumTriggerTuples))")
        }
        if overdue.insertPast, let insert = overdue.insert {
            reasons.append("\(Format.count(insert.inserted)) rows inserted since its last vacuum, "
                + "past the insert trigger of " + Format.count(Int64(insert.trigger.value.rounded(.down))))
        }
        return "\(SQLQuoting.qualified(overdue.table.qualifiedName)) has " + reasons.joined(separator: " and ") + ", and "
            + TableMaintenance.noRunText("vacuum", last: TableMaintenance.lastVacuum(activity), quiet: overdue.quiet)
            + (settings.autovacuum ? ": autovacuum should have run but did not." : ": autovacuum is off server-wide.")
    }

    /// The counters against both triggers, the last vacuums, and the space the dead tuples hold.
    private static func evidence(_ overdue: Overdue, settings: AutovacuumSettings, maxAge: Double) -> [Evidence] {
        let activity = overdue.activity
        var evidence: [Evidence] = [
            Evidence("deadTuples", "dead tuples", .count(activity.deadTuples)),
            Evidence("liveTuples", "live tuples", .count(activity.liveTuples)),
            Evidence("deadShare", "dead share of rows", .ratio(overdue.deadShare)),
            Evidence("vacuumTriggerTuples", "vacuum trigger (dead tuples)", .count(overdue.vacuumTriggerTuples)),
            Evidence("vacuumTrigger", "vacuum trigger formula", .text(overdue.vacuum.formula)),
        ]
        if let insert = overdue.insert {
            evidence += [
                Evidence("insertedSinceVacuum", "rows inserted since vacuum", .count(insert.inserted)),
                Evidence("insertTrigger", "insert trigger formula", .text(insert.trigger.formula)),
            ]
        }
        if let last = activity.lastVacuum { evidence.append(Evidence("lastVacuum", "last manual vacuum", .timestamp(last))) }
        if let last = activity.lastAutovacuum {
            evidence.append(Evidence("lastAutovacuum", "last autovacuum", .timestamp(last)))
        }
        evidence += [
            Evidence("sinceLastVacuum", "since the last vacuum", .text(overdue.quiet.text)),
            Evidence("maxAgeMs", "max-age", .milliseconds(maxAge * 1000)),
            Evidence("autovacuumCount", "autovacuum runs since the statistics reset", .count(activity.autovacuumCount)),
        ]
        if overdue.deadPast {
            evidence.append(Evidence("deadBytesEstimate", "space held by dead tuples (estimate)", .bytes(overdue.deadBytes)))
        }
        if !settings.autovacuum { evidence.append(Evidence("autovacuum", "autovacuum setting", .flag(false))) }
        return evidence
    }

    /// VACUUM now; on a large table, also a lower scale factor for each trigger it is past.
    private static func remediations(_ overdue: Overdue, parameters: RuleParameters) -> [Remediation] {
        let table = overdue.table
        let vacuum: Remediation = .vacuum(table.qualifiedName, VacuumOptions(analyze: false))
        let largeScale = parameters.number("large-table-scale-factor")
        guard table.estimatedRows > Double(parameters.count("large-table-rows")) else { return [vacuum] }
        var lowered: [StorageParameter] = []
        if overdue.deadPast, overdue.vacuum.scaleFactor > largeScale {
            lowered.append(StorageParameter("autovacuum_vacuum_scale_factor", ParameterValue.number(largeScale).description))
        }
        if overdue.insertPast, let insert = overdue.insert, insert.trigger.scaleFactor > largeScale {
            lowered.append(StorageParameter("autovacuum_vacuum_insert_scale_factor",
                                            ParameterValue.number(largeScale).description))
        }
        guard !lowered.isEmpty else { return [vacuum] }
        return [vacuum, .setStorageParameters(table.qualifiedName, lowered, relation: table.kind)]
    }

    // MARK: Example tables

    /// 1,200,000 rows of which 300,000 are dead (trigger 50 + 0.2 × 900,000 = 180,050); last
    /// autovacuum three days ago.
    static func deadTable(options: [String] = []) -> TableInfo {
        Example.table("shop.orders", rows: 900_000, options: options, activity: TableActivity(
            seqScans: 10, seqTuplesRead: 9_000_000, indexScans: 2_000_000, indexTuplesFetched: 2_000_000,
            inserted: 100_000, updated: 400_000, deleted: 50_000, hotUpdated: 150_000, liveTuples: 900_000,
            deadTuples: 300_000, modifiedSinceAnalyze: 20_000, insertedSinceVacuum: 100_000,
            lastAutovacuum: Example.ago(days: 3), lastAutoanalyze: Example.ago(seconds: 7200), autovacuumCount: 12,
            autoanalyzeCount: 30))
    }

    /// 2,000,000 rows appended, 600,000 of them since the last vacuum (insert trigger
    /// 1,000 + 0.2 × 2,000,000 = 401,000), never vacuumed.
    static func insertOnly() -> TableInfo {
        Example.table("shop.events", rows: 2_000_000, activity: TableActivity(
            seqScans: 1, seqTuplesRead: 0, indexScans: 5000, indexTuplesFetched: 5000, inserted: 2_600_000,
            liveTuples: 2_600_000, modifiedSinceAnalyze: 100_000, insertedSinceVacuum: 600_000,
            lastAutoanalyze: Example.ago(seconds: 10_800), autoanalyzeCount: 8))
    }
}
