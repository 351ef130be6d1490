import Core
import Model
import Testing

@Suite struct ConfigAdvisorTests {
    static let machine = TuningInputs(ramBytes: 24 << 30, cpus: 2, majorVersion: 15)

    func kinds(_ advice: ConfigAdvice) -> [ConfigAdjustment.Kind] { advice.adjustments.map(\.kind) }

    @Test func calculatorAloneHasNoCurrentValues() {
        let advice = ConfigAdvisor.advise(Self.machine)
        #expect(advice.currentBudget == nil)
        #expect(advice.settings.allSatisfy { $0.current == nil && $0.changes })
        #expect(advice.settings.first { $0.name == "shared_buffers" }?.recommended == "6GB")
        #expect(!advice.recommendedBudget.overcommits)
    }

    @Test func serverAlreadyAtTheBaselineChangesNothing() {
        let snapshot = Example.snapshot(settings: [
            Example.setting("shared_buffers", "786432", unit: "8kB", context: "postmaster"),
        ])
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: snapshot)
        let sb = advice.settings.first { $0.name == "shared_buffers" }
        #expect(sb?.current == "6GB")
        #expect(sb?.changes == false)
        #expect(sb?.restart == true)
    }

    @Test func overcommittingServerGetsTheSafeWorkMem() {
        let snapshot = Example.snapshot(settings: [Example.setting("work_mem", "1048576", unit: "kB", context: "user")])
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: snapshot)
        #expect(kinds(advice).contains(.memorySafety))
        #expect(advice.currentBudget?.overcommits == true)
        let workMem = advice.settings.first { $0.name == "work_mem" }
        #expect(workMem?.current == "1GB")
        #expect(workMem.flatMap { MemoryUnits.parse($0.recommended) }.map { $0 <= advice.currentBudget!.safeWorkMemKB } == true)
        #expect(!advice.recommendedBudget.overcommits)
    }

    @Test func spillingStatementRaisesWorkMemWithinTheBudget() {
        var machine = Self.machine
        machine.connections = 200
        // With 200 connections given, the baseline's work_mem is 30247kB and the budget allows up to 89 MB
        // (21.6 GB − 6 GB shared_buffers − 3 × 512 MB autovacuum = 14.1 GB over (100 busy connections + 8
        // parallel workers) × 1.5). A statement spilling 12 MB per call needs twice that, rounded up to a
        // power of two: 32MB, which fits.
        let small = Example.statement(1, "SELECT ... ORDER BY", calls: 10, meanMs: 50, tempWritten: 10 * 1_536)
        let advice = ConfigAdvisor.advise(machine, snapshot: Example.snapshot(statements: [small]))
        let spill = advice.adjustments.first { $0.kind == .workMemForSpills }
        #expect(spill?.value == "32MB")
        #expect(advice.settings.first { $0.name == "work_mem" }?.recommended == "32MB")

        let huge = Example.statement(2, "SELECT ... GROUP BY", calls: 10, meanMs: 900, tempWritten: 10 * 262_144)  // 2 GB per call
        let perRole = ConfigAdvisor.advise(machine, snapshot: Example.snapshot(statements: [huge]))
        #expect(kinds(perRole).contains(.workMemPerRole))
        #expect(perRole.adjustments.first { $0.kind == .workMemPerRole }?.detail.contains("ALTER ROLE app SET work_mem") == true)
    }

    @Test func requestedCheckpointsRaiseMaxWalSize() {
        let snapshot = Example.snapshot(checkpoints: CheckpointStats(timed: 20, requested: 80))
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: snapshot)
        let wal = advice.adjustments.first { $0.kind == .maxWalSize }
        #expect(wal?.value == "4GB")  // max(2 × 1GB current, PGTune's 4GB for web)
        #expect(advice.settings.first { $0.name == "max_wal_size" }?.recommended == "4GB")
    }

    @Test func manyOpenConnectionsOnTwoCoresCallForAPooler() {
        let sessions = (1...40).map { SessionInfo(pid: Int32(1000 + $0), user: "app", state: $0 <= 10 ? "active" : "idle") }
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: Example.snapshot(sessions: sessions))
        let pool = advice.adjustments.first { $0.kind == .connections && $0.value == nil }
        #expect(pool?.detail.contains("40 client connections are open (10 active)") == true)
        #expect(advice.settings.first { $0.name == "max_connections" }?.recommended == "50", "the open connections + headroom")
        #expect(advice.pools.tiers.first(where: \.observed)?.load == .heavy)
    }
}

/// The memory budget counts autovacuum as the server allocates it and busy connections as they
/// run, so PGTune's work_mem stands where it is safe (issue 12, point 7).
@Suite struct ConfigAdvisorMemoryTests {
    static func setting(_ advice: ConfigAdvice, _ name: String) -> SettingAdvice? {
        advice.settings.first { $0.name == name }
    }

    @Test func dataWarehouseKeepsPGTunesWorkMem() {
        let advice = ConfigAdvisor.advise(TuningInputs(ramBytes: 8 << 30, cpus: 32, workload: .dw, majorVersion: 15))
        #expect(Self.setting(advice, "work_mem")?.recommended == "14563kB")
        #expect(Self.setting(advice, "work_mem")?.pgtune == "14563kB")
        let autovacuum = Self.setting(advice, "autovacuum_work_mem")
        #expect(autovacuum?.recommended == "64MB")
        #expect(autovacuum?.pgtune == "-1", "PGTune leaves autovacuum_work_mem unset below 2 GB of maintenance_work_mem")
        #expect(advice.adjustments.contains { $0.kind == .autovacuumMemory && $0.value == "64MB" })
        #expect(!advice.recommendedBudget.overcommits)
    }

    @Test(arguments: [(Workload.web, 32), (Workload.oltp, 2)])
    func smallMachinesKeepTheServerDefaultWorkMem(workload: Workload, cpus: Int) {
        let advice = ConfigAdvisor.advise(TuningInputs(ramBytes: 2 << 30, cpus: cpus, workload: workload, majorVersion: 15))
        #expect(Self.setting(advice, "work_mem")?.recommended == "4MB")
        #expect(!advice.adjustments.contains { $0.kind == .memorySafety })
        #expect(!advice.recommendedBudget.overcommits)
    }

    @Test func tinyRAMGoesBelowTheFloorAndSaysWhy() {
        let advice = ConfigAdvisor.advise(TuningInputs(ramBytes: 1 << 30, cpus: 32, workload: .web, majorVersion: 18))
        let workMem = Self.setting(advice, "work_mem")
        #expect(workMem.flatMap { MemoryUnits.parse($0.recommended) }.map { $0 < 4096 } == true)
        #expect(workMem?.reason.contains("too small for 200 connections") == true)
        #expect(workMem?.pgtune == "4MB")
    }

    @Test func postgres15CapsAutovacuumAtOneGigabyte() {
        let v15 = ConfigAdvisor.advise(TuningInputs(ramBytes: 256 << 30, cpus: 64, workload: .dw, majorVersion: 15))
        #expect(Self.setting(v15, "autovacuum_work_mem")?.recommended == "1GB")
        #expect(Self.setting(v15, "autovacuum_work_mem")?.pgtune == "2GB")
        let v18 = ConfigAdvisor.advise(TuningInputs(ramBytes: 256 << 30, cpus: 64, workload: .dw, majorVersion: 18))
        #expect(Self.setting(v18, "autovacuum_work_mem")?.recommended == "2GB", "PGTune's value is within 1/16 of RAM")
        #expect(!v18.adjustments.contains { $0.kind == .autovacuumMemory })
    }

    @Test func autovacuumCountsWhatTheServerAllocates() {
        #expect(AutovacuumMemory.perWorkerKB(settingKB: 2 << 20, majorVersion: 16) == 1 << 20)
        #expect(AutovacuumMemory.perWorkerKB(settingKB: 2 << 20, majorVersion: 17) == 2 << 20)
        // A 1,000-page table holds at most 291,000 tuples: 6 bytes each, 1705 kB.
        #expect(AutovacuumMemory.perWorkerKB(settingKB: 1 << 20, majorVersion: 15, pages: 1000) == 1705)
        let tables = [TableInfo(schema: "public", name: "a", pages: 1000), TableInfo(schema: "public", name: "b", pages: 10)]
        #expect(AutovacuumMemory.totalKB(settingKB: 65_536, workers: 3, majorVersion: 15, tables: tables) == 1705 + 64)
    }
}

/// With a live server `tune` plans for the connections it needs, and the audit's memory rules
/// propose the same values (issue 12, point 5).
@Suite struct ConfigAdvisorConnectionTests {
    /// 4 GB, 2 cores, data smaller than RAM: the pool table's ceiling is 4.
    static let machine = TuningInputs(ramBytes: 4 << 30, cpus: 2, majorVersion: 15, dataSize: .lessRAM)
    static let snapshot = Example.snapshot(
        settings: [Example.setting("max_connections", "100", context: "postmaster")],
        sessions: [SessionInfo(pid: 1001, user: "app", state: "active"), SessionInfo(pid: 1002, user: "app", state: "idle")])

    @Test func maxConnectionsFollowsThePoolTable() {
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: Self.snapshot)
        let max = advice.settings.first { $0.name == "max_connections" }
        #expect(max?.recommended == "14", "the light tier behind PgBouncer: 4 connections + 10 headroom")
        #expect(advice.connections == 14)
        #expect(advice.pools.tiers.first(where: \.observed)?.maxConnections == 14)
        #expect(advice.adjustments.contains { $0.kind == .connections && $0.value == "14" })
        #expect(advice.connectionsSource?.contains("2 open") == true)
    }

    /// Following the advice never overcommits on the way: work_mem applies on a reload while the
    /// lower max_connections waits for a restart, so the new work_mem must be safe with the
    /// current 100 connections too (and the audit of that state must not turn critical).
    @Test func theRecommendedWorkMemIsSafeBeforeTheRestart() throws {
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: Self.snapshot)
        let workMem = try #require(advice.settings.first { $0.name == "work_mem" }?.recommended)
        let buffers = try #require(advice.settings.first { $0.name == "shared_buffers" }?.recommended)
        let kB = try #require(MemoryUnits.parse(workMem))
        // Reloaded, not yet restarted: the new work_mem with the current 100 connections, and
        // (worst case) the new shared_buffers already in force.
        let before = MemoryBudget(
            sharedBuffersKB: try #require(MemoryUnits.parse(buffers)), connections: 100,
            busyShare: MemoryBudget.busyShare(.web), workMemKB: kB, parallelWorkers: 8, autovacuumWorkers: 3,
            autovacuumMemKB: 65_536, autovacuumTotalKB: 3 * 65_536, ramKB: Self.machine.ramKB)
        #expect(!before.overcommits, "\(workMem) with 100 connections claims \(before.share) of RAM")
        #expect(advice.settings.first { $0.name == "work_mem" }?.reason.contains("until max_connections = 14") == true)
    }

    @Test func givenConnectionsStand() {
        var inputs = Self.machine
        inputs.connections = 200
        let advice = ConfigAdvisor.advise(inputs, snapshot: Self.snapshot)
        #expect(advice.settings.first { $0.name == "max_connections" }?.recommended == "200")
    }

    @Test func auditAndTuneProposeTheSameMemorySettings() throws {
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: Self.snapshot)
        let context = RuleContext(snapshot: Self.snapshot, facts: SnapshotFacts(Self.snapshot),
                                  parameters: RuleParameters(rule: MemorySettingsRule.description), host: Self.machine)
        let findings = try MemorySettingsRule.evaluate(context)
        let workMem = try #require(findings.first { $0.target == .setting("work_mem") })
        let tuned = try #require(advice.settings.first { $0.name == "work_mem" }?.recommended)
        #expect(workMem.remediations == [.alterSystem(name: "work_mem", value: tuned, restart: false)])
    }

    @Test func overcommitRuleProposesTunesWorkMem() throws {
        let snapshot = Example.snapshot(
            settings: [Example.setting("max_connections", "100", context: "postmaster"),
                       Example.setting("work_mem", "1048576", unit: "kB", context: "user")],
            sessions: Self.snapshot.sessions)
        let context = RuleContext(snapshot: snapshot, facts: SnapshotFacts(snapshot),
                                  parameters: RuleParameters(rule: MemoryOvercommitRule.description), host: Self.machine)
        let finding = try #require(try MemoryOvercommitRule.evaluate(context).first)
        let tuned = try #require(ConfigAdvisor.advise(Self.machine, snapshot: snapshot).settings.first { $0.name == "work_mem" })
        #expect(finding.remediations.first == .alterSystem(name: "work_mem", value: tuned.recommended, restart: false))
    }
}
