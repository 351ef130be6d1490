@testable import Core
import Model
import Testing

/// Autovacuum triggers (settings, per-table overrides, PostgreSQL 18's cap) and the shared
/// maintenance facts: last runs, autovacuum workers, the xmin horizon.
@Suite struct AutovacuumSettingsTests {
    @Test func triggersFollowSettingsAndTableOverrides() {
        let settings = AutovacuumSettings(Example.snapshot())
        #expect(settings.defaulted.isEmpty)
        let plain = Example.table("shop.a", rows: 60_000)
        #expect(settings.vacuumTrigger(plain).value == 12_050)
        #expect(settings.analyzeTrigger(plain).value == 6_050)
        #expect(settings.vacuumTrigger(plain).formula == "50 + 0.2 × 60,000 rows = 12,050")

        let tuned = Example.table("shop.b", rows: 2_000_000, options: [
            "autovacuum_vacuum_scale_factor=0.01", "autovacuum_analyze_threshold=1000",
        ])
        let vacuum = settings.vacuumTrigger(tuned)
        #expect(vacuum.value == 20_050)
        #expect(vacuum.tableOptions == ["autovacuum_vacuum_scale_factor"])
        #expect(vacuum.formula.hasSuffix("(table storage parameters: autovacuum_vacuum_scale_factor)"))
        #expect(settings.analyzeTrigger(tuned).value == 201_000)
        // Autovacuum compares strictly.
        #expect(!vacuum.isExceeded(by: 20_050))
        #expect(vacuum.isExceeded(by: 20_051))
    }

    @Test func neverAnalyzedTablesCountAsEmpty() {
        var table = Example.table("shop.a", rows: 1000)
        table.estimatedRows = -1
        #expect(AutovacuumSettings(Example.snapshot()).vacuumTrigger(table).value == 50)
    }

    @Test func insertTrigger() {
        var table = Example.table("shop.a", rows: 10_000)
        table.activity?.insertedSinceVacuum = 5000
        #expect(AutovacuumSettings(Example.snapshot()).insertTrigger(table)?.value == 3000)
        let off = AutovacuumSettings(Example.snapshot(settings: [Example.setting("autovacuum_vacuum_insert_threshold", "-1")]))
        #expect(off.insertTrigger(table) == nil)
        let old = AutovacuumSettings(Example.snapshot(versionNumber: 120_020))
        #expect(old.insertTrigger(table) == nil)
    }

    @Test func postgres18CapsTheVacuumTrigger() {
        let table = Example.table("shop.big", rows: 1_000_000_000)
        let pg17 = AutovacuumSettings(Example.snapshot(versionNumber: 170_002))
        #expect(pg17.vacuumTrigger(table).value == 200_000_050)
        // The setting is missing from the example's PostgreSQL 15 defaults: 100,000,000 is assumed and said so.
        let pg18 = AutovacuumSettings(Example.snapshot(versionNumber: 180_000))
        #expect(pg18.vacuumTrigger(table).value == 100_000_000)
        #expect(pg18.defaulted == ["autovacuum_vacuum_max_threshold"])
        #expect(pg18.vacuumTrigger(table).formula.contains("capped at 100,000,000"))
        let uncapped = AutovacuumSettings(Example.snapshot(
            versionNumber: 180_000, settings: [Example.setting("autovacuum_vacuum_max_threshold", "-1")]))
        #expect(uncapped.vacuumTrigger(table).value == 200_000_050)
    }

    @Test func missingSettingsFallBackToDefaultsAndSaySo() {
        var snapshot = Example.snapshot()
        snapshot.settings.removeAll { $0.name == "autovacuum_vacuum_scale_factor" || $0.name == "autovacuum" }
        let settings = AutovacuumSettings(snapshot)
        #expect(settings.vacuumScaleFactor == 0.2)
        #expect(settings.autovacuum)
        #expect(settings.defaulted == ["autovacuum", "autovacuum_vacuum_scale_factor"])
        #expect(settings.defaultedEvidence.first?.key == "settingsAssumedDefault")
    }

    @Test func freezeMaxAgeCanOnlyBeLoweredPerTable() {
        let settings = AutovacuumSettings(Example.snapshot())
        #expect(settings.freezeMaxAge(Example.table("a", options: ["autovacuum_freeze_max_age=100000000"])) == 100_000_000)
        #expect(settings.freezeMaxAge(Example.table("b", options: ["autovacuum_freeze_max_age=900000000"])) == 200_000_000)
    }

    @Test func autovacuumWorkersByTable() {
        let workers = TableMaintenance.autovacuumWorkers([
            SessionInfo(pid: 1, backendType: "autovacuum worker", query: "autovacuum: VACUUM ANALYZE shop.orders"),
            SessionInfo(pid: 2, backendType: "autovacuum worker",
                        query: "autovacuum: VACUUM shop.Order Notes (to prevent wraparound)"),
            SessionInfo(pid: 3, backendType: "autovacuum worker", query: "autovacuum: ANALYZE public.t"),
            SessionInfo(pid: 4, backendType: "autovacuum worker", query: "autovacuum: BRIN summarize public.t_brin 3"),
            SessionInfo(pid: 5, backendType: "client backend", query: "autovacuum: VACUUM public.fake"),
        ])
        #expect(workers["shop.orders"] == TableMaintenance.Worker(pid: 1, vacuums: true, analyzes: true))
        #expect(workers["shop.Order Notes"] == TableMaintenance.Worker(pid: 2, vacuums: true, analyzes: false))
        #expect(workers["public.t"] == TableMaintenance.Worker(pid: 3, vacuums: false, analyzes: true))
        #expect(workers.count == 3)
    }

    @Test func oldestXminHolderIgnoresVacuums() {
        let holder = TableMaintenance.oldestXminHolder([
            SessionInfo(pid: 10, backendType: "autovacuum worker", xminAge: 90_000_000),
            SessionInfo(pid: 11, state: "active", xminAge: 5_000),
            SessionInfo(pid: 12, state: "idle in transaction", xidAge: 7_000, xminAge: 6_000),
            SessionInfo(pid: 13, state: "idle"),
        ])
        #expect(holder?.session.pid == 12)
        #expect(holder?.age == 7_000)
        #expect(TableMaintenance.oldestXminHolder([SessionInfo(pid: 13, state: "idle")]) == nil)
    }

    @Test func quietTimeFallsBackToTheStatisticsWindow() {
        let snapshot = Example.snapshot()
        let context = RuleContext(snapshot: snapshot, facts: SnapshotFacts(snapshot),
                                  parameters: RuleParameters(rule: VacuumOverdueRule.description))
        let recent = TableMaintenance.quiet(since: Example.ago(seconds: 600), context: context)
        #expect(recent.seconds == 600)
        #expect(!recent.atLeast(86_400))
        let never = TableMaintenance.quiet(since: nil, context: context)
        #expect(never.seconds == Double(30 * 86_400))
        #expect(never.text.hasPrefix("none recorded in the 30 d since the statistics reset"))
        var unknown = Example.snapshot(statsReset: nil)
        unknown.server.startedAt = nil
        let blind = RuleContext(snapshot: unknown, facts: SnapshotFacts(unknown),
                                parameters: RuleParameters(rule: VacuumOverdueRule.description))
        #expect(TableMaintenance.quiet(since: nil, context: blind).atLeast(86_400))
    }
}
