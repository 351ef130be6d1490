import Core
import Model
import Testing

@Suite struct BlockedSessionsRuleTests {
    static let t = QualifiedName(schema: "public", name: "t")

    /// The integration scenario: `BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE;` left idle, and a
    /// reader waiting on it.
    static func lockTableScenario(waitSeconds: Double = 8, timeout: String = "0") -> Snapshot {
        Example.snapshot(
            settings: [Example.setting("idle_in_transaction_session_timeout", timeout, unit: "ms", context: "user")],
            sessions: [
                SessionInfo(pid: 4242, database: "app", user: "app", applicationName: "psql", state: "idle in transaction",
                            transactionStart: Example.ago(seconds: 200), queryStart: Example.ago(seconds: 180),
                            stateChange: Example.ago(seconds: 180), query: "LOCK TABLE t IN ACCESS EXCLUSIVE MODE;"),
                SessionInfo(pid: 4343, database: "app", user: "app", state: "active",
                            transactionStart: Example.ago(seconds: waitSeconds), queryStart: Example.ago(seconds: waitSeconds),
                            stateChange: Example.ago(seconds: waitSeconds), waitEventType: "Lock", waitEvent: "relation",
                            query: "SELECT * FROM t"),
            ],
            lockWaits: [
                LockWait(pid: 4343, lockType: "relation", mode: "AccessShareLock", relation: t,
                         waitStart: Example.ago(seconds: waitSeconds), blockingPids: [4242],
                         blockerModes: ["AccessExclusiveLock"]),
            ])
    }

    @Test func namesBothPidsTheModeAndTheRelation() throws {
        let findings = try SessionRuleHarness.findings(BlockedSessionsRule.self, Self.lockTableScenario())
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.target == .session(pid: 4242))
        #expect(finding.severity == .critical)
        #expect(finding.message.contains("pid 4242"))
        #expect(finding.message.contains("pid 4343"))
        #expect(finding.message.contains("AccessShareLock on public.t"))
        #expect(finding.message.contains("held as AccessExclusiveLock"))
        #expect(finding.message.contains("pid 4242 is idle in transaction and has been for 3 min"))
        #expect(finding.message.contains("its last statement was `LOCK TABLE t IN ACCESS EXCLUSIVE MODE;`"))
        #expect(finding.evidence("blockedPids") == .list(["4343"]))
        #expect(finding.evidence("rootPid") == .count(4242))
        #expect(finding.evidence("lockMode") == .text("AccessShareLock"))
        #expect(finding.evidence("heldModes") == .list(["AccessExclusiveLock"]))
        #expect(finding.evidence("relation") == .text("public.t"))
        #expect(finding.evidence("longestWaitMs") == .milliseconds(8000))
        #expect(finding.evidence("rootIdleMs") == .milliseconds(180_000))
        #expect(finding.evidence("rootTransactionAgeMs") == .milliseconds(200_000))
        #expect(finding.remediations.contains(
            .alterDatabase(database: "app", name: "idle_in_transaction_session_timeout", value: "1min")))
        let manual = SessionRuleHarness.manualTexts(finding)
        #expect(manual.contains { $0.contains("pg_terminate_backend(4242)") })
        #expect(!manual.contains { $0.contains("lock_timeout") }, "the waiter is a reader, not DDL")
        // Half of the two client sessions wait.
        #expect(finding.impact.score == 0.5)
    }

    @Test func shortWaitIsAWarningAndMinWaitHidesIt() throws {
        let snapshot = Self.lockTableScenario(waitSeconds: 0.5)
        let findings = try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot)
        #expect(findings.map(\.severity) == [.warning])
        #expect(try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot, parameters: ["min-wait": "1s"]).isEmpty)
        let stricter = try SessionRuleHarness.findings(
            BlockedSessionsRule.self, Self.lockTableScenario(waitSeconds: 8), parameters: ["critical-wait": "10s"])
        #expect(stricter.map(\.severity) == [.warning])
    }

    @Test func noTimeoutSuggestionWhenAlreadyStrict() throws {
        let finding = try #require(try SessionRuleHarness.findings(
            BlockedSessionsRule.self, Self.lockTableScenario(timeout: "30000")).first)
        #expect(!finding.remediations.contains { if case .alterDatabase = $0 { true } else { false } })
    }

    @Test func migrationQueueSuggestsLockTimeoutAndReportsDepth() throws {
        let example = try #require(BlockedSessionsRule.description.examples.first { $0.name.hasPrefix("a migration") })
        let finding = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, example.snapshot).first)
        #expect(finding.target == .session(pid: 100))
        #expect(finding.evidence("blockedPids") == .list(["200", "300", "301"]))
        #expect(finding.evidence("depth") == .count(2))
        #expect(finding.evidence("lockMode") == .text("AccessExclusiveLock"))
        #expect(finding.evidence("relation") == .text("shop.orders"))
        #expect(finding.evidence("longestWaitMs") == .milliseconds(40_000))
        #expect(finding.message.contains("pid 100 is active in a transaction open for 5 min, running `SELECT count(*)"))
        let manual = SessionRuleHarness.manualTexts(finding)
        #expect(manual.contains { $0.contains("lock_timeout") })
        #expect(manual.contains { $0.contains("pg_cancel_backend(100)") })
        #expect(!finding.remediations.contains { if case .alterDatabase = $0 { true } else { false } })
    }

    @Test func preparedTransactionIsNamed() throws {
        let example = try #require(BlockedSessionsRule.description.examples.first { $0.name.contains("pid 0") })
        let finding = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, example.snapshot).first)
        #expect(finding.message.contains("prepared transaction"))
        #expect(finding.message.contains("a row lock"))
        #expect(finding.evidence("relation") == nil)
        let manual = SessionRuleHarness.manualTexts(finding)
        #expect(manual.contains { $0.contains("COMMIT PREPARED") })
        #expect(!manual.contains { $0.contains("pg_terminate_backend") }, "pid 0 is not a process")
    }

    @Test func relationNamesAreQuoted() throws {
        let name = QualifiedName(schema: "Shop", name: "Order Lines")
        var snapshot = Self.lockTableScenario()
        snapshot.lockWaits[0].relation = name
        let finding = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot).first)
        #expect(finding.evidence("relation") == .text("\"Shop\".\"Order Lines\""))
        #expect(finding.message.contains("on \"Shop\".\"Order Lines\""))
    }

    @Test func waitsWithoutWaitStartUseStateChange() throws {
        var snapshot = Self.lockTableScenario(waitSeconds: 30)
        snapshot.lockWaits[0].waitStart = nil
        let finding = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot).first)
        #expect(finding.evidence("longestWaitMs") == .milliseconds(30_000))
        #expect(finding.evidence("waitIsApproximate") == .flag(true))
        #expect(finding.message.contains("up to about 30 s"))
    }

    @Test func vanishedAndHiddenRootsAreSaidSo() throws {
        var snapshot = Self.lockTableScenario()
        snapshot.sessions.removeAll { $0.pid == 4242 }
        let gone = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot).first)
        #expect(gone.message.contains("no longer in pg_stat_activity"))

        var hidden = Self.lockTableScenario()
        hidden.sessions[0] = SessionInfo(pid: 4242, database: "app", user: "other", backendType: nil)
        let finding = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, hidden).first)
        #expect(finding.message.contains("hidden"))
    }

    @Test func deadlockCycleIsReportedWithoutLooping() throws {
        let snapshot = Example.snapshot(
            sessions: [
                SessionInfo(pid: 10, state: "active", stateChange: Example.ago(seconds: 3)),
                SessionInfo(pid: 11, state: "active", stateChange: Example.ago(seconds: 3)),
            ],
            lockWaits: [
                LockWait(pid: 10, lockType: "transactionid", mode: "ShareLock", waitStart: Example.ago(seconds: 2), blockingPids: [11]),
                LockWait(pid: 11, lockType: "transactionid", mode: "ShareLock", waitStart: Example.ago(seconds: 1), blockingPids: [10]),
            ])
        let findings = try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot)
        #expect(findings.map(\.target) == [.session(pid: 10)])
        #expect(findings.first?.evidence("cyclePids") == .list(["10", "11"]))
        #expect(findings.first?.message.contains("wait for each other") == true)
    }
}

@Suite struct BlockedSessionsAdvisoryLockTests {
    @Test func idleHolderOfAnAdvisoryLockIsToldToUnlock() throws {
        let snapshot = Example.snapshot(
            sessions: [
                SessionInfo(pid: 50, database: "app", user: "app", state: "idle", stateChange: Example.ago(seconds: 600),
                            query: "SELECT pg_advisory_lock(42)"),
                SessionInfo(pid: 51, database: "app", user: "app", state: "active", stateChange: Example.ago(seconds: 0.4),
                            waitEventType: "Lock", waitEvent: "advisory", query: "SELECT pg_advisory_lock(42)"),
            ],
            lockWaits: [
                LockWait(pid: 51, lockType: "advisory", mode: "ExclusiveLock", waitStart: Example.ago(seconds: 0.4),
                         blockingPids: [50], blockerModes: ["ExclusiveLock"]),
            ])
        let finding = try #require(try SessionRuleHarness.findings(BlockedSessionsRule.self, snapshot).first)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("waiting up to 400.0 ms for an advisory lock (ExclusiveLock)"))
        #expect(finding.message.contains("pid 50 is idle; its last statement was `SELECT pg_advisory_lock(42)`"))
        #expect(SessionRuleHarness.manualTexts(finding).contains { $0.contains("pg_advisory_unlock") })
        #expect(!finding.remediations.contains { if case .alterDatabase = $0 { true } else { false } })
    }
}
