import Model

/// Databases and tables whose oldest unfrozen transaction ID (or multixact ID) is getting old.
public enum XidWraparoundRule: Rule {
    public static let description = RuleDescription(
        id: "xid-wraparound",
        title: "Transaction ID wraparound",
        category: .tables,
        severity: .warning,
        requirements: [.source("databases")],
        summary: "Databases and tables whose transaction ID or multixact ID age reaches 75 % of autovacuum_freeze_max_age (autovacuum_multixact_freeze_max_age); critical from 1.4 billion or within 40 million of the 2^31 limit.",
        rationale: """
            Transaction IDs are 32-bit: when the oldest unfrozen ID of any table comes within about 40 \
            million of 2^31 PostgreSQL warns, and within 3 million (1 million before PostgreSQL 14) it \
            stops assigning new IDs, so every write fails until a VACUUM freezes that table. Multixact \
            IDs (row locks shared by several transactions) have the same limit. Autovacuum forces a \
            freezing vacuum when a table's age reaches `autovacuum_freeze_max_age` (200 million by \
            default; a table's own storage parameter can only lower it); reaching `warning-share` of it \
            (pgx_scripts' 75 %) is reported for databases and for tables of at least `large-table` size, \
            whose freezing vacuum takes hours and is better run at a chosen time; smaller tables are \
            reported once they are past autovacuum_freeze_max_age itself, which means autovacuum is not \
            keeping up. Ages of `critical-age` (check_postgres txn_wraparound's 1.4 billion) or less than \
            40 million from the limit are critical. Both the table and its TOAST table count. Databases \
            that do not accept connections (template0) are frozen and only reported from `critical-age`. \
            Freezing cannot advance past the oldest snapshot still held, so that holder is named when it \
            explains the age.
            """,
        manual: "https://www.postgresql.org/docs/current/routine-vacuuming.html#VACUUM-FOR-WRAPAROUND",
        parameters: [
            RuleParameter("warning-share", .ratio(0.75), "Share of autovacuum_freeze_max_age (or the multixact one) that is reported."),
            RuleParameter("critical-age", .count(1_400_000_000), "Age (transactions or multixacts) that is critical."),
            RuleParameter("large-table", .bytes(1 << 30), "Smaller tables are reported only once past autovacuum_freeze_max_age."),
        ],
        examples: [
            RuleExample("a database at 85 % of autovacuum_freeze_max_age", .triggers([.database("app")]),
                        snapshot: Example.snapshot(databases: [DatabaseAge(name: "app", frozenXidAge: 170_000_000, minMultixactAge: 1000)])),
            RuleExample("a large table 1.5 billion transactions old, held back by an idle transaction",
                        .triggers([.database("app"), .relation(QualifiedName(schema: "shop", name: "events"))]),
                        snapshot: Example.snapshot(
                            tables: [Example.table("shop.events", rows: 40_000_000, rowWidth: 120, frozenXidAge: 1_500_000_000)],
                            sessions: [SessionInfo(pid: 4242, database: "app", state: "idle in transaction",
                                                   transactionStart: Example.ago(days: 20), xminAge: 1_450_000_000)],
                            databases: [DatabaseAge(name: "app", frozenXidAge: 1_500_000_000, minMultixactAge: 1000)])),
            RuleExample("multixact IDs at 87.5 % of autovacuum_multixact_freeze_max_age", .triggers([.database("app")]),
                        snapshot: Example.snapshot(databases: [DatabaseAge(name: "app", frozenXidAge: 20_000_000, minMultixactAge: 350_000_000)])),
            RuleExample("a small table past autovacuum_freeze_max_age", .triggers([.database("app"), .relation(QualifiedName(schema: "shop", name: "settings"))]),
                        snapshot: Example.snapshot(
                            tables: [Example.table("shop.settings", rows: 200, frozenXidAge: 210_000_000)],
                            databases: [DatabaseAge(name: "app", frozenXidAge: 210_000_000, minMultixactAge: 1000)])),
            RuleExample("template0 (no connections) at 180 million, the others young", .passes, snapshot: Example.snapshot(databases: [
                DatabaseAge(name: "app", frozenXidAge: 30_000_000, minMultixactAge: 1000),
                DatabaseAge(name: "template0", frozenXidAge: 180_000_000, minMultixactAge: 1000, allowsConnections: false, isTemplate: true),
            ])),
            RuleExample("pgbench: young databases and tables", .passes, snapshot: TableExamples.pgbench()),
            RuleExample.withoutSource("databases", state: .failed, "databases not collected"),
        ]
    )

    static let hardLimit: Int64 = 2_147_483_647

    /// One counter (transaction or multixact IDs) of one target, judged.
    struct Counter {
        var label: String
        var age: Int64
        var freezeMaxAge: Double
        var freezeSetting: String

        var share: Double { freezeMaxAge > 0 ? Double(age) / freezeMaxAge : 0 }
        var remaining: Int64 { XidWraparoundRule.hardLimit - age }
    }

    struct Limits {
        var warningShare: Double
        var criticalAge: Int64
        var warnMargin: Int64
        var stopMargin: Int64

        func isCritical(_ counter: Counter) -> Bool { counter.age >= criticalAge || counter.remaining <= warnMargin }
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        let settings = AutovacuumSettings(snapshot)
        let modern = snapshot.server.versionNumber >= 140_000
        let limits = Limits(
            warningShare: context.parameters.ratio("warning-share"), criticalAge: context.parameters.count("critical-age"),
            warnMargin: modern ? 40_000_000 : 11_000_000, stopMargin: modern ? 3_000_000 : 1_000_000)
        let largeTable = context.parameters.bytes("large-table")
        let sessionsUsable = snapshot.source("sessions")?.isUsable == true
        let holder = sessionsUsable ? TableMaintenance.oldestXminHolder(snapshot.sessions) : nil
        let failsafe = modern ? snapshot.setting("vacuum_failsafe_age")?.number : nil
        let tablesUsable = snapshot.source("tables")?.isUsable == true
        let tables = tablesUsable ? snapshot.tables.filter { $0.kind != .partitioned && age($0) != nil } : []

        var findings: [Finding] = []
        for database in snapshot.databases {
            let counters = [
                Counter(label: "transaction ID", age: database.frozenXidAge, freezeMaxAge: settings.freezeMaxAge,
                        freezeSetting: "autovacuum_freeze_max_age"),
                Counter(label: "multixact ID", age: database.minMultixactAge, freezeMaxAge: settings.multixactFreezeMaxAge,
                        freezeSetting: "autovacuum_multixact_freeze_max_age"),
            ]
            let reported = counters.filter { counter in
                if !database.allowsConnections { return counter.age >= limits.criticalAge }
                return counter.share >= limits.warningShare || limits.isCritical(counter)
            }
            guard !reported.isEmpty else { continue }
            let name = SQLQuoting.identifier(database.name)
            var evidence = counters.flatMap { counterEvidence($0, limits: limits) }
            evidence.append(Evidence("allowsConnections", "accepts connections", .flag(database.allowsConnections)))
            var steps = ["Connect to database \(name) and freeze its oldest tables first: VACUUM (FREEZE, VERBOSE) on the "
                + "tables with the largest age(relfrozenxid), or vacuumdb --freeze --jobs=4 --dbname=\(name) for all of them."]
            if database.name == snapshot.server.database, !tables.isEmpty {
                let oldest = tables.sorted { (age($0) ?? 0, $1.qualifiedName) > (age($1) ?? 0, $0.qualifiedName) }.prefix(5)
                evidence.append(Evidence("oldestTables", "oldest tables here",
                                         .list(oldest.map { "\(SQLQuoting.qualified($0.qualifiedName)) (\(Format.count(age($0) ?? 0)))" })))
                steps[0] += " Its oldest user tables are listed in the evidence; system catalogs can be older."
            }
            findings.append(finding(
                target: .database(database.name), subject: "database \(name)", counters: reported, evidence: evidence,
                limits: limits, holder: holder, failsafe: failsafe, vacuum: nil, steps: steps))
        }
        for table in tables {
            guard let xidAge = age(table) else { continue }
            let bytes = table.size?.bytes ?? (table.pages + table.toastPages) * Int64(snapshot.server.blockSize)
            let share = bytes >= largeTable ? limits.warningShare : max(1, limits.warningShare)
            var counters = [Counter(label: "transaction ID", age: xidAge, freezeMaxAge: settings.freezeMaxAge(table),
                                    freezeSetting: "autovacuum_freeze_max_age")]
            if let mxid = table.minMultixactAge {
                counters.append(Counter(label: "multixact ID", age: mxid, freezeMaxAge: settings.multixactFreezeMaxAge(table),
                                        freezeSetting: "autovacuum_multixact_freeze_max_age"))
            }
            let reported = counters.filter { $0.share >= share || limits.isCritical($0) }
            guard !reported.isEmpty else { continue }
            var evidence = counters.flatMap { counterEvidence($0, limits: limits) }
            if let heap = table.frozenXidAge { evidence.append(Evidence("heapFrozenXidAge", "heap age", .count(heap))) }
            if let toast = table.toastFrozenXidAge { evidence.append(Evidence("toastFrozenXidAge", "TOAST age", .count(toast))) }
            evidence.append(Evidence("sizeBytes", "size", .bytes(bytes)))
            if let last = table.activity.flatMap(TableMaintenance.lastVacuum) {
                evidence.append(Evidence("lastVacuum", "last (auto)vacuum", .timestamp(last)))
            }
            findings.append(finding(
                target: .relation(table.qualifiedName), subject: SQLQuoting.qualified(table.qualifiedName),
                counters: reported, evidence: evidence, limits: limits, holder: holder, failsafe: failsafe,
                vacuum: table.qualifiedName, steps: []))
        }
        return findings
    }

    /// The table's age: the older of the heap and its TOAST table.
    static func age(_ table: TableInfo) -> Int64? {
        switch (table.frozenXidAge, table.toastFrozenXidAge) {
        case (let heap?, let toast?): max(heap, toast)
        case (let heap?, nil): heap
        case (nil, let toast?): toast
        case (nil, nil): nil
        }
    }

    static func counterEvidence(_ counter: Counter, limits: Limits) -> [Evidence] {
        let prefix = counter.label == "transaction ID" ? "xid" : "multixact"
        return [
            Evidence("\(prefix)Age", "\(counter.label) age", .count(counter.age)),
            Evidence("\(prefix)FreezeMaxAge", counter.freezeSetting, .count(Int64(counter.freezeMaxAge))),
            Evidence("\(prefix)ShareOfFreezeMaxAge", "share of \(counter.freezeSetting)", .ratio(counter.share)),
            Evidence("\(prefix)ToHardLimit", "\(counter.label)s left before wraparound", .count(counter.remaining)),
            Evidence("\(prefix)ToStopLimit", "\(counter.label)s left before writes stop", .count(counter.remaining - limits.stopMargin)),
            Evidence("\(prefix)ShareOfLimit", "share of the 2^31 limit used", .ratio(Double(counter.age) / 2_147_483_648)),
        ]
    }

    static func finding(
        target: Target, subject: String, counters: [Counter], evidence: [Evidence], limits: Limits,
        holder: (session: SessionInfo, age: Int64)?, failsafe: Double?, vacuum: QualifiedName?, steps: [String]
    ) -> Finding {
        let critical = counters.contains { limits.isCritical($0) }
        let worst = counters.max { Double($0.age) < Double($1.age) } ?? counters[0]
        let parts = counters.map { counter in
            "\(counter.label) age \(Format.count(counter.age)) (\(Format.percent(counter.share)) of "
                + "\(counter.freezeSetting) = \(Format.count(Int64(counter.freezeMaxAge))))"
        }
        var message = "\(subject) has " + parts.joined(separator: " and ") + "; "
            + "\(Format.magnitude(max(0, worst.remaining - limits.stopMargin))) \(worst.label)s remain before PostgreSQL "
            + "stops accepting writes"
        message += critical ? ": freeze it now." : "."
        var evidence = evidence
        var notes: [String] = []
        let holdsBack = holder.flatMap { $0.age * 2 >= worst.age ? $0 : nil }
        var check = "Before vacuuming, find what holds the xmin horizon back, or VACUUM cannot freeze past it: "
            + "long-running and idle-in-transaction sessions (pg_stat_activity.backend_xmin), prepared transactions "
            + "(pg_prepared_xacts), replication slots (pg_replication_slots.xmin and catalog_xmin) and "
            + "hot_standby_feedback from standbys."
        if let holdsBack {
            evidence += TableMaintenance.holderEvidence(holdsBack)
            check += " In this snapshot \(TableMaintenance.holderText(holdsBack)) holds a snapshot "
                + "\(Format.magnitude(holdsBack.age)) transactions old."
        }
        if let failsafe, Double(worst.age) >= failsafe {
            notes.append("Past vacuum_failsafe_age (\(Format.count(Int64(failsafe)))): VACUUM skips index cleanup and "
                + "cost delays to finish freezing sooner.")
        }
        notes.append("An anti-wraparound autovacuum does not give way to other lock requests: DDL on the table waits for it.")
        var remediations: [Remediation] = [.manual(check)]
        if let vacuum { remediations.append(.vacuum(vacuum, VacuumOptions(freeze: true, verbose: true))) }
        remediations += steps.map { .manual($0) }
        let score = Double(worst.age) / 2_147_483_648
        return Finding(
            rule: description.id, severity: critical ? .critical : .warning, target: target, message: message,
            evidence: evidence, remediations: remediations,
            impact: Impact(score: score, summary: "\(Format.percent(score)) of the \(worst.label) space used"),
            notes: notes)
    }
}
