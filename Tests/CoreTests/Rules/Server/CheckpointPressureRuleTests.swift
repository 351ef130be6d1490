import Core
import Model
import Testing

@Suite struct CheckpointPressureRuleTests {
    @Test func doublesMaxWalSizeWithoutARestart() throws {
        let snapshot = Example.snapshot(checkpoints: CheckpointStats(timed: 300, requested: 700, statsReset: Example.ago(days: 30)))
        let f = try #require(try QueryServerRuleRun.findings(CheckpointPressureRule.self, snapshot).first)
        #expect(f.remediations == [.alterSystem(name: "max_wal_size", value: "2GB", restart: false)])
        #expect(f.evidence("requestedShare") == .ratio(0.7))
        #expect(f.evidence("maxWalSizeBytes") == .bytes(1 << 30))
        #expect(f.evidence("checkpointTimeoutMs") == .milliseconds(300_000))
        #expect(f.message.contains("70.0%"))
        #expect(f.message.contains("(5.0 min)"))
    }

    @Test func oddSizesStayExact() throws {
        let snapshot = Example.snapshot(
            settings: [Example.setting("max_wal_size", "768", unit: "MB")],
            checkpoints: CheckpointStats(timed: 10, requested: 90, statsReset: Example.ago(days: 3)))
        let f = try #require(try QueryServerRuleRun.findings(CheckpointPressureRule.self, snapshot).first)
        #expect(f.remediations == [.alterSystem(name: "max_wal_size", value: "1536MB", restart: false)])
    }

    @Test func theShareMustBeAboveTheLimit() throws {
        let at = Example.snapshot(checkpoints: CheckpointStats(timed: 80, requested: 20, statsReset: Example.ago(days: 30)))
        #expect(try QueryServerRuleRun.findings(CheckpointPressureRule.self, at).isEmpty)
        let above = Example.snapshot(checkpoints: CheckpointStats(timed: 79, requested: 21, statsReset: Example.ago(days: 30)))
        #expect(try QueryServerRuleRun.findings(CheckpointPressureRule.self, above).count == 1)
    }

    @Test func shortWindowsAreSkippedUnlessTheWindowIsLowered() throws {
        let young = Example.snapshot(checkpoints: CheckpointStats(timed: 24, requested: 40, statsReset: Example.ago(seconds: 7200)))
        let skipped = try QueryServerRuleRun.run(CheckpointPressureRule.self, young)
        #expect(skipped.skipped.first?.reason.contains("2.0 h") == true)
        let judged = try QueryServerRuleRun.findings(CheckpointPressureRule.self, young, ["min-window": "0"])
        #expect(judged.count == 1)
    }

    @Test func withoutAResetTimeTheServerStartCounts() throws {
        // The example server started 40 days ago.
        let snapshot = Example.snapshot(checkpoints: CheckpointStats(timed: 300, requested: 700, statsReset: nil))
        let f = try #require(try QueryServerRuleRun.findings(CheckpointPressureRule.self, snapshot).first)
        #expect(f.message.contains("server start"))
    }
}
