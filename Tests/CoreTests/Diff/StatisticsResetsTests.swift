import Core
import Model
import Testing

/// Resets between two snapshots: how each is detected, and what the comparison then uses.
@Suite struct StatisticsResetsTests {
    typealias T = SnapshotDiffTests

    @Test func aMovedResetTimeMakesNewFiguresCountFromTheReset() throws {
        var old = T.old(statements: [T.statement(1, calls: 1000, totalMs: 2000)])
        var new = T.new(statements: [T.statement(1, calls: 100, totalMs: 1000)])
        old.statementsInfo?.statsReset = Example.ago(days: 30)
        new.statementsInfo?.statsReset = Example.ago(seconds: 3600)
        let d = T.diff(old, new)
        let reset = try #require(d.resets.statements)
        #expect(reset.at == Example.ago(seconds: 3600))
        #expect(reset.evidence.contains { $0.contains("pg_stat_statements_info.stats_reset moved") })
        #expect(d.resets.relations == nil)
        // 100 calls at 10 ms since the reset, against OLD's 2 ms.
        let r = try #require(d.regressions.first)
        #expect(r.basis == .sinceReset)
        #expect(r.window.calls == 100 && r.window.meanMs == 10)
        #expect(d.caveats.contains { $0.hasPrefix("Statements: pg_stat_statements was reset at \(Example.ago(seconds: 3600).iso8601) (60 min before NEW)") })
    }

    @Test func countersGoingBackwardsRevealAResetThatMovedNoResetTime() throws {
        // pg_stat_statements_reset(0, dbid, 0) clears one database and leaves stats_reset alone.
        let old = T.old(statements: [T.statement(1, calls: 1000, totalMs: 2000), T.statement(2, calls: 500, totalMs: 500)])
        let new = T.new(statements: [T.statement(1, calls: 40, totalMs: 80), T.statement(2, calls: 20, totalMs: 20)])
        let d = T.diff(old, new)
        let reset = try #require(d.resets.statements)
        #expect(reset.at == nil)
        #expect(reset.evidence == ["calls went down for 2 of the 2 statements seen in both snapshots"])
        #expect(d.regressions.isEmpty)
    }

    @Test func oneStatementGoingBackwardsIsAnEvictionNotAReset() throws {
        var old = T.old(statements: [T.statement(1, calls: 1000, totalMs: 2000), T.statement(2, calls: 500, totalMs: 500),
                                     T.statement(3, calls: 500, totalMs: 500)])
        var new = T.new(statements: [T.statement(1, calls: 30, totalMs: 300), T.statement(2, calls: 600, totalMs: 600),
                                     T.statement(3, calls: 600, totalMs: 600)])
        old.statementsInfo?.deallocations = 5
        new.statementsInfo?.deallocations = 9
        let d = T.diff(old, new)
        #expect(d.resets.statements == nil)
        #expect(d.resets.restartedStatements == 1)
        #expect(d.resets.evictions == 4)
        // Its 30 calls since its return, at 10 ms, against 2 ms.
        let r = try #require(d.regressions.first)
        #expect(r.key.queryId == 1 && r.basis == .sinceReset && r.window.calls == 30)
        #expect(d.caveats.contains { $0.hasPrefix("4 pg_stat_statements entries were evicted") })
    }

    @Test func findingsGoneAfterAResetAreNotSimplyResolved() {
        var old = T.old(statements: [T.statement(1, calls: 1000, totalMs: 200_000), T.statement(2, calls: 10, totalMs: 10)])
        var new = T.new(statements: [T.statement(2, calls: 5, totalMs: 5)])
        old.statementsInfo?.statsReset = Example.ago(days: 30)
        new.statementsInfo?.statsReset = Example.ago(seconds: 60)
        let slow = Finding(rule: "slow-query", severity: .warning, target: .statement(queryId: 1), message: "slow")
        let bloat = Finding(rule: "table-bloat", severity: .warning, target: .relation(Example.qualifiedName("app.t")), message: "bloat")
        let before = AuditResult(findings: [slow, bloat], skipped: [], evaluated: ["slow-query", "table-bloat"], disabled: [])
        let after = AuditResult(findings: [], skipped: [], evaluated: ["slow-query", "table-bloat"], disabled: [])
        let d = SnapshotDiff.compare(old: old, new: new, oldAudit: before, newAudit: after)
        // Statement 1 has not run since the reset: not known to be faster.
        #expect(d.findings.notJudged.map(\.finding.rule) == ["slow-query"])
        #expect(d.findings.notJudged.first?.skippedReason?.contains("has not run since") == true)
        #expect(d.findings.resolved.map(\.finding.rule) == ["table-bloat"])
        #expect(d.findings.resolved.first?.afterReset == true)
        // Without a reset, both are resolved.
        new.statementsInfo?.statsReset = Example.ago(days: 30)
        new.statements = [T.statement(2, calls: 15, totalMs: 15)]
        let calm = SnapshotDiff.compare(old: old, new: new, oldAudit: before, newAudit: after)
        #expect(calm.findings.resolved.map(\.finding.rule) == ["slow-query", "table-bloat"])
        #expect(calm.findings.resolved.allSatisfy { !$0.afterReset })
    }

    /// pg_stat_statements 1.11+: a statement evicted and seen again may count more calls than
    /// before; its stats_since says its counters started after OLD.
    @Test func statsSinceAfterOldRestartsAStatementWhoseCallsWentUp() throws {
        let old = T.old(statements: [T.statement(1, calls: 100, totalMs: 200), T.statement(2, calls: 500, totalMs: 500),
                                     T.statement(3, calls: 500, totalMs: 500)])
        var returned = T.statement(1, calls: 150, totalMs: 1500)
        returned.statsSince = Example.ago(seconds: 3600)
        let new = T.new(statements: [returned, T.statement(2, calls: 600, totalMs: 600), T.statement(3, calls: 600, totalMs: 600)])
        let d = T.diff(old, new)
        #expect(d.resets.statements == nil)
        #expect(d.resets.restartedStatements == 1)
        // 150 calls at 10 ms since its return, not 50 calls of a meaningless difference.
        let r = try #require(d.regressions.first)
        #expect(r.key.queryId == 1 && r.basis == .sinceReset && r.window.calls == 150 && r.window.meanMs == 10)
        // Most statements restarted that way: a reset.
        var all = new
        for i in all.statements.indices { all.statements[i].statsSince = Example.ago(seconds: 60) }
        #expect(T.diff(old, all).resets.statements?.evidence == ["3 of the 3 statements seen in both snapshots count from after OLD (fewer calls, or stats_since)"])
    }

    @Test func deallocGoingDownIsAReset() {
        var old = T.old(), new = T.new()
        old.statementsInfo?.deallocations = 50
        new.statementsInfo?.deallocations = 0
        #expect(T.diff(old, new).resets.statements?.evidence == ["pg_stat_statements_info.dealloc went down from 50 to 0"])
    }

    @Test func aDatabaseResetMakesIndexScansCountFromTheResetAndSaysSo() throws {
        var old = T.old(indexes: [Example.index("app.a_idx", on: "app.t", columns: ["a"], scans: 500),
                                  Example.index("app.b_idx", on: "app.t", columns: ["b"], scans: 300)])
        var new = T.new(indexes: [Example.index("app.a_idx", on: "app.t", columns: ["a"], scans: 0),
                                  Example.index("app.b_idx", on: "app.t", columns: ["b"], scans: 12)])
        old.database?.statsReset = nil
        new.database?.statsReset = Example.ago(seconds: 600)
        let d = T.diff(old, new)
        let reset = try #require(d.resets.relations)
        #expect(reset.at == Example.ago(seconds: 600))
        #expect(reset.evidence.first == "pg_stat_database.stats_reset moved from never to \(Example.ago(seconds: 600).iso8601)")
        #expect(reset.evidence.contains("scans went down for 2 of the 2 indexes used before"))
        let unused = try #require(d.indexes.first)
        #expect(unused.kind == .becameUnused && unused.basis == .sinceReset)
        // b_idx's 12 scans since the reset are not a change of use.
        #expect(d.indexes.count == 1)
        #expect(d.caveats.contains { $0.hasPrefix("Index usage: the table and index counters were reset") && $0.contains("not judged unused") })
    }

    @Test func fewerCommittedTransactionsRevealADatabaseReset() {
        var old = T.old(), new = T.new()
        old.database?.commits = 1_000_000
        new.database?.commits = 900
        #expect(T.diff(old, new).resets.relations?.evidence == ["the database's committed transactions went down from 1000000 to 900"])
    }

    @Test func aRestartThatKeptTheCountersIsNotAReset() {
        var new = T.new(statements: [T.statement(1, calls: 2000, totalMs: 2000)])
        let old = T.old(statements: [T.statement(1, calls: 1000, totalMs: 1000)])
        new.server.startedAt = Example.ago(seconds: 7200)
        let d = T.diff(old, new)
        #expect(!d.resets.any)
        #expect(d.resets.restartedAt == Example.ago(seconds: 7200))
        #expect(d.caveats == ["The server restarted at \(Example.ago(seconds: 7200).iso8601) (2.0 h before NEW); its counters survived the restart."])
    }

    @Test func counterWindowTakesTheDifferenceOrTheNewFiguresAfterARestart() {
        #expect(CounterWindow.between(before: (10, 20), after: (15, 70), reset: false) == CounterWindow(calls: 5, totalMs: 50, restarted: false))
        #expect(CounterWindow.between(before: (10, 20), after: (15, 70), reset: true) == CounterWindow(calls: 15, totalMs: 70, restarted: true))
        #expect(CounterWindow.between(before: (10, 20), after: (4, 70), reset: false) == CounterWindow(calls: 4, totalMs: 70, restarted: true))
        #expect(CounterWindow.between(before: nil, after: (4, 8), reset: false) == CounterWindow(calls: 4, totalMs: 8, restarted: false))
        #expect(CounterWindow.resetMoved(from: Example.ago(days: 2), to: Example.ago(days: 1)))
        #expect(!CounterWindow.resetMoved(from: Example.ago(days: 1), to: Example.ago(days: 1)))
        #expect(!CounterWindow.resetMoved(from: nil, to: Example.ago(days: 1)))
    }

    @Test func snapshotsOfAnotherDatabaseOrClusterOrInTheWrongOrderAreNamed() {
        var old = T.old(), new = T.new()
        #expect(SnapshotPair.mismatches(old: old, new: new).isEmpty)
        #expect(SnapshotPair.mismatches(old: new, new: old) == [.newIsOlder(old: Example.now, new: Example.ago(days: 1))])
        new.server.database = "other"
        old.server.systemIdentifier = "7300000000000000001"
        new.server.systemIdentifier = "7300000000000000002"
        #expect(SnapshotPair.mismatches(old: old, new: new)
            == [.otherDatabase(old: "app", new: "other"), .otherCluster(old: "7300000000000000001", new: "7300000000000000002")])
        // Compared anyway, every counter is taken as restarted.
        let empty = AuditResult(findings: [], skipped: [], evaluated: [], disabled: [])
        let d = SnapshotDiff.compare(old: old, new: new, oldAudit: empty, newAudit: empty)
        #expect(d.resets.statements != nil && d.resets.relations != nil)
        #expect(d.caveats.first?.hasPrefix("The snapshots are not of the same database of the same cluster") == true)
    }
}
