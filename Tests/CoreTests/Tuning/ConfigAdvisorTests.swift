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
        // The baseline's work_mem is 30247kB and the budget allows up to 36 MB (21.6 GB − 6 GB shared_buffers
        // − 3 × 1.5 GB autovacuum = 11.1 GB over 208 × 1.5). A statement spilling 12 MB per call needs twice
        // that, rounded up to a power of two: 32MB, which fits.
        let small = Example.statement(1, "SELECT ... ORDER BY", calls: 10, meanMs: 50, tempWritten: 10 * 1_536)
        let advice = ConfigAdvisor.advise(Self.machine, snapshot: Example.snapshot(statements: [small]))
        let spill = advice.adjustments.first { $0.kind == .workMemForSpills }
        #expect(spill?.value == "32MB")
        #expect(advice.settings.first { $0.name == "work_mem" }?.recommended == "32MB")

        let huge = Example.statement(2, "SELECT ... GROUP BY", calls: 10, meanMs: 900, tempWritten: 10 * 262_144)  // 2 GB per call
        let perRole = ConfigAdvisor.advise(Self.machine, snapshot: Example.snapshot(statements: [huge]))
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
        let pool = advice.adjustments.first { $0.kind == .connections }
        #expect(pool?.detail.contains("40 client connections are open (10 active)") == true)
        #expect(advice.pools.tiers.first(where: \.observed)?.load == .heavy)
    }
}
