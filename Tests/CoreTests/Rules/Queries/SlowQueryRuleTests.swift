import Core
import Model
import Testing

/// What pg_stat_statements 1.11+ adds to a slow statement's finding: its own counters' age
/// (stats_since), block I/O time, and 1.12's parallel worker and WAL buffer counts.
@Suite struct SlowQueryRuleTests {
    static func slow(since: Timestamp?) -> StatementStats {
        var s = Example.statement(101, "SELECT * FROM orders WHERE status = $1", calls: 1000, meanMs: 250)
        s.statsSince = since
        s.sharedBlockReadTime = 50_000
        s.localBlockReadTime = 1_000
        s.parallelWorkersToLaunch = 400
        s.parallelWorkersLaunched = 100
        s.walBuffersFull = 7
        return s
    }

    @Test func youngCountersAreSaidToBeYoung() throws {
        let findings = try QueryServerRuleRun.findings(SlowQueryRule.self, Example.snapshot(statements: [Self.slow(since: Example.ago(seconds: 600))]))
        let f = try #require(findings.first)
        #expect(f.message.contains("counters started 10 min before the snapshot (stats_since)"), "\(f.message)")
        #expect(f.evidence("countersSince") == .timestamp(Example.ago(seconds: 600)))
        #expect(f.evidence("ioTimeMs") == .milliseconds(51_000))
        #expect(f.evidence("ioTimeShare") == .ratio(51_000 / 250_000))
        #expect(f.evidence("parallelWorkersPlanned") == .count(400) && f.evidence("parallelWorkersLaunched") == .count(100))
        #expect(f.evidence("walBuffersFull") == .count(7))
    }

    @Test func oldOrUnknownCountersSayNothing() throws {
        for since in [Example.ago(days: 3), nil] {
            let f = try #require(try QueryServerRuleRun.findings(SlowQueryRule.self, Example.snapshot(statements: [Self.slow(since: since)])).first)
            #expect(!f.message.contains("stats_since"))
            #expect((f.evidence("countersSince") != nil) == (since != nil))
        }
    }
}

/// pg_stat_io (16+) tells the cache-hit-ratio finding whether the misses were bulk reads.
@Suite struct CacheHitRatioIOTests {
    @Test func bulkReadsAreToldApart() throws {
        var snapshot = Example.snapshot(versionNumber: 180_001, database: Example.database(blocksHit: 1_000_000, blocksRead: 900_000))
        snapshot.io = [
            IOStats(backendType: "client backend", reads: 100_000, hits: 1_000_000),
            IOStats(backendType: "client backend", context: "bulkread", reads: 800_000, hits: 5_000),
            IOStats(backendType: "checkpointer", writes: 5_000),
        ]
        let f = try #require(try QueryServerRuleRun.findings(CacheHitRatioRule.self, snapshot).first)
        #expect(f.evidence("bulkReadShare") == .ratio(800_000.0 / 900_000.0))
        #expect(f.evidence("normalHitRatio") == .ratio(1_000_000.0 / 1_100_000.0))
        #expect(f.notes.contains { $0.contains("bulk reads") }, "\(f.notes)")
        // Without pg_stat_io (PostgreSQL 15) the finding is as before.
        snapshot.io = nil
        let plain = try #require(try QueryServerRuleRun.findings(CacheHitRatioRule.self, snapshot).first)
        #expect(plain.evidence("bulkReadShare") == nil)
    }
}
