import Core
import Model
import Testing

@Suite struct LongRunningQueryRuleTests {
    static func active(_ pid: Int32, seconds: Double, application: String? = "web", waitEventType: String? = nil)
        -> SessionInfo
    {
        SessionInfo(pid: pid, database: "app", user: "app", applicationName: application, state: "active",
                    transactionStart: Example.ago(seconds: seconds + 60), queryStart: Example.ago(seconds: seconds),
                    stateChange: Example.ago(seconds: seconds), waitEventType: waitEventType,
                    waitEvent: waitEventType == nil ? nil : "transactionid", xminAge: 90_000,
                    query: "SELECT *\n  FROM shop.orders")
    }

    @Test func severityFollowsTheThresholds() throws {
        let snapshot = Example.snapshot(sessions: [
            Self.active(1, seconds: 29), Self.active(2, seconds: 31), Self.active(3, seconds: 299), Self.active(4, seconds: 301),
        ])
        let findings = try SessionRuleHarness.findings(LongRunningQueryRule.self, snapshot)
        let severities = Dictionary(uniqueKeysWithValues: findings.map { ($0.target, $0.severity) })
        #expect(severities == [.session(pid: 2): .warning, .session(pid: 3): .warning, .session(pid: 4): .critical])
        let critical = try #require(findings.first { $0.target == .session(pid: 4) })
        #expect(critical.evidence("runtimeMs") == .milliseconds(301_000))
        #expect(critical.evidence("transactionAgeMs") == .milliseconds(361_000))
        #expect(critical.evidence("xminAge") == .count(90_000))
        #expect(critical.message.contains("`SELECT * FROM shop.orders`"), "the statement on one line")
        #expect(critical.message.contains("holds back VACUUM"))
        #expect(critical.impact.score == 1)
    }

    @Test func lockWaitersPointAtBlockedSessions() throws {
        let snapshot = Example.snapshot(sessions: [Self.active(5, seconds: 45, waitEventType: "Lock")])
        let finding = try #require(try SessionRuleHarness.findings(LongRunningQueryRule.self, snapshot).first)
        #expect(finding.message.contains("waiting for a lock"))
        #expect(finding.evidence("waitEvent") == .text("Lock/transactionid"))
    }

    @Test func pgadvisorAndHiddenSessionsAreLeftOut() throws {
        let snapshot = Example.snapshot(sessions: [
            Self.active(6, seconds: 600, application: "pgadvisor audit"),
            SessionInfo(pid: 7, database: "app", user: "other", backendType: nil),
        ])
        #expect(try SessionRuleHarness.findings(LongRunningQueryRule.self, snapshot).isEmpty)
    }
}
