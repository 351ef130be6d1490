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
        let largeRows = Double(context.parameters.count("large-table-rows"))
        let largeScale = context.parameters.number("large-table-scale-factor")
        let horizonAge = context.parameters.count("horizon-age")
        let workers = TableMaintenance.autovacuumWorkers(snapshot.sessions)
        let holder = TableMaintenance.oldestXminHolder(snapshot.sessions).flatMap { $0.age >= horizonAge ? $0 : nil }
        let blockSize = snapshot.server.blockSize
        return snapshot.tables.compactMap { table -> Finding? in
            guard table.kind != .partitioned, table.autovacuumEnabled, let activity = table.activity,
                  TableMaintenance.worker(for: table, in: workers)?.vacuums != true else { return nil }
            let vacuum = settings.vacuumTrigger(table)
            let insert = settings.insertTrigger(table)
            let deadPast = vacuum.isExceeded(by: activity.deadTuples)
            let insertPast = insert.map { trigger in activity.insertedSinceVacuum.map { trigger.isExceeded(by: $0) } ?? false } ?? false
            guard deadPast || insertPast else { return nil }
            let quiet = TableMaintenance.quiet(since: TableMaintenance.lastVacuum(activity), context: context)
            guard quiet.atLeast(maxAge) else { return nil }
            let name = SQLQuoting.qualified(table.qualifiedName)
            let rows = activity.liveTuples + activity.deadTuples
            let deadShare = rows > 0 ? Double(activity.deadTuples) / Double(rows) : 0
            var reasons: [String] = []
            if deadPast {
                reasons.append("\(Format.count(activity.deadTuples)) dead tuples (\(Format.percent(deadShare)) of its rows), "
                    + "past the autovacuum trigger of \(Format.count(Int64(vacuum.value.rounded(.down))))")
            }
            if insertPast, let insert, let inserted = activity.insertedSinceVacuum {
                reasons.append("\(Format.count(inserted)) rows inserted since its last vacuum, past the insert trigger of "
                    + Format.count(Int64(insert.value.rounded(.down))))
            }
            let lastVacuum = TableMaintenance.lastVacuum(activity)
            var message = "\(name) has " + reasons.joined(separator: " and ") + ", and "
                + TableMaintenance.noRunText("vacuum", last: lastVacuum, quiet: quiet)
            message += settings.autovacuum ? ": autovacuum should have run but did not." : ": autovacuum is off server-wide."

            var evidence: [Evidence] = [
                Evidence("deadTuples", "dead tuples", .count(activity.deadTuples)),
                Evidence("liveTuples", "live tuples", .count(activity.liveTuples)),
                Evidence("deadShare", "dead share of rows", .ratio(deadShare)),
                Evidence("vacuumTriggerTuples", "vacuum trigger (dead tuples)", .count(Int64(vacuum.value.rounded(.down)))),
                Evidence("vacuumTrigger", "vacuum trigger formula", .text(vacuum.formula)),
            ]
            if let insert, let inserted = activity.insertedSinceVacuum {
                evidence += [
                    Evidence("insertedSinceVacuum", "rows inserted since vacuum", .count(inserted)),
                    Evidence("insertTrigger", "insert trigger formula", .text(insert.formula)),
                ]
            }
            if let last = activity.lastVacuum { evidence.append(Evidence("lastVacuum", "last manual vacuum", .timestamp(last))) }
            if let last = activity.lastAutovacuum {
                evidence.append(Evidence("lastAutovacuum", "last autovacuum", .timestamp(last)))
            }
            evidence += [
                Evidence("sinceLastVacuum", "since the last vacuum", .text(quiet.text)),
                Evidence("maxAgeMs", "max-age", .milliseconds(maxAge * 1000)),
                Evidence("autovacuumCount", "autovacuum runs since the statistics reset", .count(activity.autovacuumCount)),
            ]
            let heapBytes = TableMaintenance.heapBytes(table, blockSize: blockSize)
            let deadBytes = Int64(Double(heapBytes) * deadShare)
            if deadPast { evidence.append(Evidence("deadBytesEstimate", "space held by dead tuples (estimate)", .bytes(deadBytes))) }
            if !settings.autovacuum { evidence.append(Evidence("autovacuum", "autovacuum setting", .flag(false))) }
            var notes: [String] = []
            if let holder {
                evidence += TableMaintenance.holderEvidence(holder)
                notes.append("\(TableMaintenance.holderText(holder)) holds a snapshot \(Format.magnitude(holder.age)) "
                    + "transactions old: VACUUM cannot remove rows that died after it began. End that transaction first.")
            }
            notes.append("Autovacuum can fall behind when its autovacuum_max_workers are busy with large tables or "
                + "throttled by the cost limit; prepared transactions, replication slots and standby feedback (not "
                + "in the snapshot) can also hold dead rows back.")

            var remediations: [Remediation] = [.vacuum(table.qualifiedName, VacuumOptions(analyze: false))]
            if table.estimatedRows > largeRows {
                var parameters: [StorageParameter] = []
                if deadPast, vacuum.scaleFactor > largeScale {
                    parameters.append(StorageParameter("autovacuum_vacuum_scale_factor", ParameterValue.number(largeScale).description))
                }
                if insertPast, let insert, insert.scaleFactor > largeScale {
                    parameters.append(StorageParameter("autovacuum_vacuum_insert_scale_factor",
                                                       ParameterValue.number(largeScale).description))
                }
                if !parameters.isEmpty {
                    remediations.append(.setStorageParameters(table.qualifiedName, parameters, relation: table.kind))
                }
            }
            return Finding(
                rule: description.id, severity: .warning, target: .relation(table.qualifiedName), message: message,
                evidence: evidence + settings.defaultedEvidence, remediations: remediations,
                impact: Impact(score: deadShare, summary: deadPast
                    ? "\(Format.percent(deadShare)) of rows dead (about \(Format.bytes(deadBytes)))"
                    : "inserted rows not yet vacuumed"),
                notes: notes)
        }
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
