import Core
import Model
import Testing

@Suite struct CacheHitRatioRuleTests {
    static func snapshot(hit: Int64, read: Int64, size: Int64 = 2 << 30) -> Snapshot {
        Example.snapshot(database: Example.database(blocksHit: hit, blocksRead: read, sizeBytes: size))
    }

    @Test func severityFollowsTheTwoThresholds() throws {
        let warning = try QueryServerRuleRun.findings(CacheHitRatioRule.self, Self.snapshot(hit: 9_200_000, read: 800_000))
        #expect(warning.map(\.severity) == [.warning])
        #expect(warning.first?.evidence("hitRatio") == .ratio(0.92))
        #expect(warning.first?.message.contains("92.0%") == true)
        let critical = try QueryServerRuleRun.findings(CacheHitRatioRule.self, Self.snapshot(hit: 8_900_000, read: 1_100_000))
        #expect(critical.map(\.severity) == [.critical])
        #expect(abs((critical.first?.impact.score ?? 0) - 0.11) < 1e-9)
    }

    @Test func ninetyFivePercentExactlyIsNotFlagged() throws {
        #expect(try QueryServerRuleRun.findings(CacheHitRatioRule.self, Self.snapshot(hit: 9_500_000, read: 500_000)).isEmpty)
    }

    @Test func aLowRatioOnFewRequestsIsNotJudged() throws {
        #expect(try QueryServerRuleRun.findings(CacheHitRatioRule.self, Self.snapshot(hit: 500_000, read: 400_000)).isEmpty)
        let lowered = try QueryServerRuleRun.findings(
            CacheHitRatioRule.self, Self.snapshot(hit: 500_000, read: 400_000), ["min-blocks": "100000"])
        #expect(lowered.map(\.severity) == [.critical])
    }

    @Test func readsBelowTheDatabaseSizeMayBeAColdStart() throws {
        // 800,000 blocks read = 6.1 GB, less than the 20 GB database.
        let cold = try #require(try QueryServerRuleRun.findings(
            CacheHitRatioRule.self, Self.snapshot(hit: 9_200_000, read: 800_000, size: 20 << 30)).first)
        #expect(cold.notes.contains { $0.contains("first read of each block") })
        let warm = try #require(try QueryServerRuleRun.findings(
            CacheHitRatioRule.self, Self.snapshot(hit: 9_200_000, read: 800_000, size: 1 << 30)).first)
        #expect(!warm.notes.contains { $0.contains("first read of each block") })
    }
}
