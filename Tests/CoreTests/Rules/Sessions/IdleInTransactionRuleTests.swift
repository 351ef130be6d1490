import Core
import Model
import Testing

@Suite struct IdleInTransactionRuleTests {
    static func idle(_ pid: Int32, seconds: Double, aborted: Bool = false) -> SessionInfo {
        SessionInfo(pid: pid, database: "shop", user: "app", applicationName: "worker",
                    state: aborted ? "idle in transaction (aborted)" : "idle in transaction",
                    transactionStart: Example.ago(seconds: seconds + 300), queryStart: Example.ago(seconds: seconds + 1),
                    stateChange: Example.ago(seconds: seconds), xidAge: aborted ? nil : 700, xminAge: aborted ? nil : 900,
                    query: "UPDATE shop.orders SET status = 'paid' WHERE id = 8")
    }

    @Test func severityIdleTimeAndTransactionAge() throws {
        let snapshot = Example.snapshot(sessions: [
            Self.idle(1, seconds: 59), Self.idle(2, seconds: 61), Self.idle(3, seconds: 601),
            Self.idle(4, seconds: 7200, aborted: true),
        ])
        let findings = try SessionRuleHarness.findings(IdleInTransactionRule.self, snapshot)
        let severities = Dictionary(uniqueKeysWithValues: findings.map { ($0.target, $0.severity) })
        #expect(severities == [.session(pid: 2): .warning, .session(pid: 3): .critical, .session(pid: 4): .warning])
        let critical = try #require(findings.first { $0.target == .session(pid: 3) })
        #expect(critical.evidence("idleMs") == .milliseconds(601_000))
        #expect(critical.evidence("transactionAgeMs") == .milliseconds(901_000))
        #expect(critical.evidence("xminAge") == .count(900))
        #expect(critical.evidence("query") == .text("UPDATE shop.orders SET status = 'paid' WHERE id = 8"))
        #expect(critical.message.contains("idle in transaction for 10 min, in a transaction open for 15 min"))
        #expect(critical.message.contains("horizon age 900"))
        #expect(critical.remediations.contains(
            .alterDatabase(database: "shop", name: "idle_in_transaction_session_timeout", value: "1min")))
        let aborted = try #require(findings.first { $0.target == .session(pid: 4) })
        #expect(aborted.message.contains("released its locks"))
    }

    @Test func mentionsTheSessionsItBlocks() throws {
        let snapshot = Example.snapshot(
            sessions: [Self.idle(1, seconds: 120), SessionInfo(pid: 2, state: "active", waitEventType: "Lock")],
            lockWaits: [LockWait(pid: 2, lockType: "transactionid", mode: "ShareLock", blockingPids: [1])])
        let finding = try #require(try SessionRuleHarness.findings(IdleInTransactionRule.self, snapshot).first)
        #expect(finding.message.contains("blocks 1 session"))
        #expect(finding.evidence("blockedPids") == .list(["2"]))
    }

    @Test func timeoutSuggestionFollowsTheSettingAndTheThreshold() throws {
        let strict = Example.snapshot(
            settings: [Example.setting("idle_in_transaction_session_timeout", "30000", unit: "ms", context: "user")],
            sessions: [Self.idle(1, seconds: 120)])
        let finding = try #require(try SessionRuleHarness.findings(IdleInTransactionRule.self, strict).first)
        #expect(!finding.remediations.contains { if case .alterDatabase = $0 { true } else { false } })
        #expect(finding.evidence("idleInTransactionSessionTimeoutMs") == .milliseconds(30_000))

        let loose = Example.snapshot(sessions: [Self.idle(1, seconds: 300)])
        let relaxed = try #require(try SessionRuleHarness.findings(
            IdleInTransactionRule.self, loose, parameters: ["warning-after": "2min"]).first)
        #expect(relaxed.remediations.contains(
            .alterDatabase(database: "shop", name: "idle_in_transaction_session_timeout", value: "2min")))
    }

    @Test func neverReportsWhatLongRunningQueryReports() throws {
        let snapshot = Example.snapshot(sessions: [
            SessionInfo(pid: 1, state: "active", transactionStart: Example.ago(seconds: 900),
                        queryStart: Example.ago(seconds: 900), stateChange: Example.ago(seconds: 900), query: "SELECT 1"),
            Self.idle(2, seconds: 900),
        ])
        let idle = try SessionRuleHarness.findings(IdleInTransactionRule.self, snapshot).map(\.target)
        let running = try SessionRuleHarness.findings(LongRunningQueryRule.self, snapshot).map(\.target)
        #expect(idle == [.session(pid: 2)])
        #expect(running == [.session(pid: 1)])
    }
}
