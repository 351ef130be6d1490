import Core
import Model
import Testing

@Suite struct DeadlocksRuleTests {
    static func snapshot(deadlocks: Int64, statsAgeDays: Double?, logLockWaits: String = "off") -> Snapshot {
        var snapshot = Example.snapshot(
            settings: [Example.setting("log_lock_waits", logLockWaits, context: "superuser")],
            database: Example.database(deadlocks: deadlocks),
            statsReset: statsAgeDays.map { Example.ago(days: $0) })
        if statsAgeDays == nil { snapshot.server.startedAt = nil }
        return snapshot
    }

    @Test func severityFollowsTheDailyRate() throws {
        func severity(_ deadlocks: Int64, days: Double) throws -> Severity? {
            try SessionRuleHarness.findings(DeadlocksRule.self, Self.snapshot(deadlocks: deadlocks, statsAgeDays: days)).first?.severity
        }
        #expect(try severity(300, days: 30) == .critical)
        #expect(try severity(299, days: 30) == .warning)
        #expect(try severity(30, days: 30) == .warning)
        #expect(try severity(29, days: 30) == .info)
        #expect(try severity(0, days: 30) == nil)
    }

    @Test func youngStatisticsAreRatedOverAtLeastOneDay() throws {
        // 5 deadlocks in 2 hours would extrapolate to 60 a day; over one day it is 5.
        let finding = try #require(try SessionRuleHarness.findings(
            DeadlocksRule.self, Self.snapshot(deadlocks: 5, statsAgeDays: 2.0 / 24)).first)
        #expect(finding.severity == .warning)
        #expect(finding.evidence("deadlocksPerDay") == .number(5))
    }

    @Test func evidenceAndRemediations() throws {
        let finding = try #require(try SessionRuleHarness.findings(
            DeadlocksRule.self, Self.snapshot(deadlocks: 120, statsAgeDays: 30)).first)
        #expect(finding.target == .database("app"))
        #expect(finding.evidence("deadlocks") == .count(120))
        #expect(finding.evidence("deadlocksPerDay") == .number(4))
        #expect(finding.evidence("logLockWaits") == .flag(false))
        #expect(finding.evidence("deadlockTimeoutMs") == .milliseconds(1000))
        #expect(finding.evidence("statisticsAge") == .text("30 d"))
        #expect(finding.message.contains("120 deadlocks in database app in 30 d"))
        #expect(finding.remediations.contains(.alterSystem(name: "log_lock_waits", value: "on", restart: false)))

        let logging = try #require(try SessionRuleHarness.findings(
            DeadlocksRule.self, Self.snapshot(deadlocks: 120, statsAgeDays: 30, logLockWaits: "on")).first)
        #expect(!logging.remediations.contains { if case .alterSystem = $0 { true } else { false } })
    }

    @Test func unknownStatisticsAgeIsAWarning() throws {
        let finding = try #require(try SessionRuleHarness.findings(
            DeadlocksRule.self, Self.snapshot(deadlocks: 2, statsAgeDays: nil)).first)
        #expect(finding.severity == .warning)
        #expect(finding.evidence("deadlocksPerDay") == nil)
        #expect(finding.message.contains("age is unknown"))
    }
}
