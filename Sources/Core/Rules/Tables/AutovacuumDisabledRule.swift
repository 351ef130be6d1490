import Model

/// Autovacuum turned off, server-wide or for single tables.
public enum AutovacuumDisabledRule: Rule {
    public static let description = RuleDescription(
        id: "autovacuum-disabled",
        title: "Autovacuum disabled",
        category: .tables,
        severity: .warning,
        summary: "The autovacuum or track_counts setting turned off (critical), and every table with autovacuum_enabled = false or toast.autovacuum_enabled = false, saying when that is why the table is bloated or past its vacuum or analyze trigger.",
        rationale: """
            Autovacuum removes dead rows, keeps the visibility map and free space map current, freezes \
            old transaction IDs and refreshes planner statistics. With `autovacuum = off` only the \
            forced anti-wraparound vacuums still run, and with `track_counts = off` autovacuum cannot \
            tell which tables need work at all: both are critical. A table created or altered with \
            `autovacuum_enabled = false` is never vacuumed or analyzed automatically (except to prevent \
            wraparound), so it is reported by name even when nothing has gone wrong yet. \
            `toast.autovacuum_enabled` is read from the TOAST table's own reloptions, where PostgreSQL \
            keeps it, and the fix resets both parameters when both are off. When such a \
            table is bloated (the table-bloat rule's default thresholds: 50 % and 10 MB, or 25 % and \
            1 GB) or past its vacuum, insert or analyze trigger (threshold + scale factor × reltuples, \
            with the table's own storage parameters taking precedence), the finding names that as the \
            consequence, with the numbers. These tables are left out of vacuum-overdue and \
            analyze-overdue, so one finding says it all. Tables vacuumed by a scheduled job on purpose \
            (bulk-loaded staging tables) are still reported: check that the job runs.
            """,
        manual: "https://www.postgresql.org/docs/current/routine-vacuuming.html#AUTOVACUUM",
        examples: [
            RuleExample("the demo's sessions table: autovacuum off and bloated",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "sessions"))]),
                        snapshot: Example.snapshot(tables: [TableExamples.sessions()], columnStats: TableExamples.sessionsStats)),
            RuleExample("autovacuum turned off server-wide", .triggers([.setting("autovacuum")]), snapshot: Example.snapshot(
                settings: [Setting(name: "autovacuum", value: "off", context: "sighup", source: "configuration file", type: "bool")],
                tables: [Example.table("shop.orders", rows: 100_000)])),
            RuleExample("autovacuum off for a TOAST table only", .triggers([.relation(QualifiedName(schema: "shop", name: "documents"))]),
                        snapshot: Example.snapshot(tables: [
                            Example.table("shop.documents", rows: 20_000, toastOptions: ["autovacuum_enabled=off"]),
                        ])),
            RuleExample("autovacuum off for a table and its TOAST table (toast.* options read from the TOAST table)",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "attachments"))]),
                        snapshot: Example.snapshot(tables: [
                            Example.table("shop.attachments", rows: 20_000, options: ["autovacuum_enabled=false"],
                                          toastOptions: ["autovacuum_enabled=false"]),
                        ])),
            RuleExample("autovacuum explicitly on, with a table's own scale factor", .passes, snapshot: Example.snapshot(tables: [
                Example.table("shop.orders", rows: 2_000_000,
                              options: ["autovacuum_enabled=true", "autovacuum_vacuum_scale_factor=0.01"]),
            ])),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        let settings = AutovacuumSettings(snapshot)
        var findings: [Finding] = []
        if let setting = snapshot.setting("autovacuum"), setting.boolValue == false {
            findings.append(serverFinding(setting, settings: settings, snapshot: snapshot))
        }
        if let setting = snapshot.setting("track_counts"), setting.boolValue == false {
            findings.append(Finding(
                rule: description.id, severity: .critical, target: .setting("track_counts"),
                message: "track_counts is off: autovacuum cannot tell which tables need vacuuming or analyzing, "
                    + "and the table statistics every maintenance check reads stay empty.",
                evidence: [
                    Evidence("value", "value", .text(setting.value)),
                    Evidence("source", "set by", .text(setting.source)),
                ],
                remediations: [.alterSystem(name: "track_counts", value: "on", restart: false)],
                impact: Impact(score: 1, summary: "every table")))
        }
        let blockSize = snapshot.server.blockSize
        let databaseBytes = snapshot.database?.sizeBytes ?? snapshot.tables.reduce(0) { $0 + ($1.size?.bytes ?? 0) }
        for table in snapshot.tables where table.kind != .partitioned {
            let toastOff = isOff(table.option("toast.autovacuum_enabled"))
            guard !table.autovacuumEnabled || toastOff else { continue }
            findings.append(tableFinding(
                table, toastOff: toastOff, settings: settings, context: context, blockSize: blockSize,
                databaseBytes: databaseBytes))
        }
        return findings
    }

    /// A storage parameter value that turns a flag off (`false`, `off`, `no`, `0`).
    static func isOff(_ raw: String?) -> Bool {
        guard let raw = raw?.lowercased() else { return false }
        return ["false", "off", "no", "0", "f", "n"].contains(raw)
    }

    static func serverFinding(_ setting: Setting, settings: AutovacuumSettings, snapshot: Snapshot) -> Finding {
        let past = snapshot.tables.filter { table in
            guard table.kind != .partitioned, let activity = table.activity else { return false }
            return settings.vacuumTrigger(table).isExceeded(by: activity.deadTuples)
        }
        var message = "autovacuum is off server-wide: no table is vacuumed or analyzed automatically except to "
            + "prevent transaction ID wraparound"
        message += past.isEmpty ? "." : past.count == 1
            ? "; 1 table is already past its vacuum trigger."
            : "; \(Format.count(past.count)) tables are already past their vacuum trigger."
        var evidence: [Evidence] = [
            Evidence("value", "value", .text(setting.value)),
            Evidence("source", "set by", .text(setting.source)),
            Evidence("tablesPastVacuumTrigger", "tables past their vacuum trigger", .count(Int64(past.count))),
        ]
        if !past.isEmpty {
            evidence.append(Evidence("tablesPastVacuumTriggerNames", "such tables (first 10)",
                                     .list(past.prefix(10).map { SQLQuoting.qualified($0.qualifiedName) })))
        }
        return Finding(
            rule: description.id, severity: .critical, target: .setting("autovacuum"), message: message,
            evidence: evidence + settings.defaultedEvidence,
            remediations: [.alterSystem(name: "autovacuum", value: "on", restart: false)],
            impact: Impact(score: 1, summary: "every table"),
            notes: ["If autovacuum was turned off for a bulk load, turn it back on and VACUUM ANALYZE the loaded tables."])
    }

    /// One table with autovacuum off for its heap, its TOAST table or both, and what that has caused.
    static func tableFinding(
        _ table: TableInfo, toastOff: Bool, settings: AutovacuumSettings, context: RuleContext, blockSize: Int,
        databaseBytes: Int64
    ) -> Finding {
        let heapOff = !table.autovacuumEnabled
        var keys: [String] = []
        if heapOff { keys.append("autovacuum_enabled") }
        if toastOff { keys.append("toast.autovacuum_enabled") }
        var neglect = Neglect()
        if heapOff {
            neglect.addBloat(of: table, facts: context.facts, blockSize: blockSize)
            if let activity = table.activity {
                neglect.addCounters(of: table, activity, settings: settings, context: context, blockSize: blockSize)
            }
        }
        let evidence: [Evidence] = [
            Evidence("autovacuumEnabled", "autovacuum enabled", .flag(!heapOff)),
            Evidence("toastAutovacuumEnabled", "autovacuum enabled for TOAST", .flag(!toastOff)),
            Evidence("storageParameters", "storage parameters", .list(table.storageParameters)),
        ]
        var notes = ["Some tables have autovacuum turned off on purpose (bulk-loaded staging tables, tables a "
            + "scheduled job vacuums): if so, check that the job runs; otherwise reset the parameter."]
        if !settings.autovacuum { notes.append("autovacuum is also off server-wide (see the autovacuum setting finding).") }
        let deadBytes = neglect.deadBytes
        let score = databaseBytes > 0 ? min(1, Double(deadBytes) / Double(databaseBytes)) : 0
        return Finding(
            rule: description.id, severity: .warning, target: .relation(table.qualifiedName),
            message: tableMessage(
                table, keys: keys, heapOff: heapOff, toastOff: toastOff, consequences: neglect.consequences),
            evidence: evidence + neglect.evidence + settings.defaultedEvidence,
            remediations: tableRemediations(table, keys: keys, neglect: neglect),
            impact: Impact(score: score, summary: deadBytes > 0 ? "\(Format.bytes(deadBytes)) of dead or wasted space"
                : "no automatic maintenance"),
            notes: notes)
    }

    /// What a table left without autovacuum shows for it: wasted space, and counters past the
    /// triggers autovacuum would have acted on, with the maintenance they call for.
    private struct Neglect {
        var evidence: [Evidence] = []
        /// Phrases for the message: "300,000 dead tuples, past the vacuum trigger of 180,050".
        var consequences: [String] = []
        var needsVacuum = false
        var needsAnalyze = false
        /// The larger of the measured or estimated waste and the space the dead tuples hold.
        var deadBytes: Int64 = 0

        /// The bloat estimate; a consequence when the table-bloat rule's default thresholds call
        /// the table bloated.
        mutating func addBloat(of table: TableInfo, facts: SnapshotFacts, blockSize: Int) {
            guard let estimate = HeapBloatEstimate.assess(table, facts: facts, blockSize: blockSize).estimate else {
                return
            }
            evidence += [
                Evidence("bloatMethod", "waste measured by", .text(estimate.methodText)),
                Evidence("wastedBytes", "wasted", .bytes(estimate.wastedBytes)),
                Evidence("wastedRatio", "share wasted", .ratio(estimate.ratio)),
            ]
            guard HeapBloatEstimate.Thresholds.standard.isBloated(estimate) else { return }
            consequences.append("\(estimate.method == .statistical ? "an estimated " : "")"
                + "\(Format.bytes(estimate.wastedBytes)) (\(Format.percent(estimate.ratio))) of wasted space")
            needsVacuum = true
            deadBytes = estimate.wastedBytes
        }

        /// Dead tuples, inserted rows and modified rows against the vacuum, insert and analyze
        /// triggers, and how long no vacuum or analyze ran.
        mutating func addCounters(
            of table: TableInfo, _ activity: TableActivity, settings: AutovacuumSettings, context: RuleContext,
            blockSize: Int
        ) {
            let vacuum = settings.vacuumTrigger(table)
            let analyze = settings.analyzeTrigger(table)
            evidence += [
                Evidence("deadTuples", "dead tuples", .count(activity.deadTuples)),
                Evidence("vacuumTrigger", "vacuum trigger (dead tuples)", .text(vacuum.formula)),
                Evidence("modifiedSinceAnalyze", "rows modified since analyze", .count(activity.modifiedSinceAnalyze)),
                Evidence("analyzeTrigger", "analyze trigger (modified rows)", .text(analyze.formula)),
            ]
            if vacuum.isExceeded(by: activity.deadTuples) {
                consequences.append("\(Format.count(activity.deadTuples)) dead tuples, past the vacuum trigger of "
                    + Format.count(Int64(vacuum.value.rounded(.down))))
                needsVacuum = true
                let rows = activity.liveTuples + activity.deadTuples
                if rows > 0 {
                    let share = Double(activity.deadTuples) / Double(rows)
                    let heapBytes = TableMaintenance.heapBytes(table, blockSize: blockSize)
                    deadBytes = max(deadBytes, Int64(Double(heapBytes) * share))
                }
            }
            if let insert = settings.insertTrigger(table), let inserted = activity.insertedSinceVacuum {
                evidence.append(Evidence("insertedSinceVacuum", "rows inserted since vacuum", .count(inserted)))
                if insert.isExceeded(by: inserted) {
                    consequences.append("\(Format.count(inserted)) rows inserted since the last vacuum, past the insert "
                        + "trigger of \(Format.count(Int64(insert.value.rounded(.down))))")
                    needsVacuum = true
                }
            }
            if analyze.isExceeded(by: activity.modifiedSinceAnalyze) {
                consequences.append("\(Format.count(activity.modifiedSinceAnalyze)) rows modified since the last analyze, "
                    + "past the analyze trigger of \(Format.count(Int64(analyze.value.rounded(.down))))")
                needsAnalyze = true
            }
            let lastVacuum = TableMaintenance.quiet(since: TableMaintenance.lastVacuum(activity), context: context)
            let lastAnalyze = TableMaintenance.quiet(since: TableMaintenance.lastAnalyze(activity), context: context)
            evidence += [
                Evidence("sinceLastVacuum", "since the last vacuum", .text(lastVacuum.text)),
                Evidence("sinceLastAnalyze", "since the last analyze", .text(lastAnalyze.text)),
            ]
        }
    }

    /// Where autovacuum is off and by which parameters, then what that has caused, or what it
    /// leaves to manual maintenance.
    private static func tableMessage(
        _ table: TableInfo, keys: [String], heapOff: Bool, toastOff: Bool, consequences: [String]
    ) -> String {
        let name = SQLQuoting.qualified(table.qualifiedName)
        let which = heapOff && toastOff ? "\(name) and its TOAST table" : heapOff ? name : "the TOAST table of \(name)"
        let values = keys.map { "\($0) = \(table.option($0) ?? "false")" }.joined(separator: ", ")
        let message = "autovacuum is disabled on \(which) (\(values))"
        if !consequences.isEmpty {
            return message + ", which is why it shows " + consequences.joined(separator: ", ") + "."
        }
        return message + (heapOff
            ? ": dead rows, freezing and planner statistics depend on manual VACUUM and ANALYZE."
            : ": dead TOAST chunks are only removed by manual VACUUM.")
    }

    /// Reset the parameters; then VACUUM (with ANALYZE when due) or ANALYZE alone, as the counters ask.
    private static func tableRemediations(_ table: TableInfo, keys: [String], neglect: Neglect) -> [Remediation] {
        let reset: Remediation = .resetStorageParameters(table.qualifiedName, keys, relation: table.kind)
        if neglect.needsVacuum {
            return [reset, .vacuum(table.qualifiedName, VacuumOptions(analyze: neglect.needsAnalyze))]
        }
        if neglect.needsAnalyze { return [reset, .analyze(table.qualifiedName)] }
        return [reset]
    }
}
