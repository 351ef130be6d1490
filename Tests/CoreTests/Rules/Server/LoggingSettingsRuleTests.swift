import Core
import Model
import Testing

@Suite struct LoggingSettingsRuleTests {
    @Test func defaultsGetOneInfoFindingPerSettingWithAReload() throws {
        let findings = try QueryServerRuleRun.findings(LoggingSettingsRule.self, Example.snapshot())
        #expect(findings.allSatisfy { $0.severity == .info })
        let byTarget = Dictionary(uniqueKeysWithValues: findings.map { ($0.target, $0.remediations) })
        #expect(byTarget[.setting("log_min_duration_statement")] == [.alterSystem(name: "log_min_duration_statement", value: "1s", restart: false)])
        #expect(byTarget[.setting("log_lock_waits")] == [.alterSystem(name: "log_lock_waits", value: "on", restart: false)])
        #expect(byTarget[.setting("log_temp_files")] == [.alterSystem(name: "log_temp_files", value: "10MB", restart: false)])
        #expect(byTarget[.setting("track_io_timing")] == [.alterSystem(name: "track_io_timing", value: "on", restart: false)])
        #expect(byTarget[.setting("log_checkpoints")] == nil)
        let timing = try #require(findings.first { $0.target == .setting("track_io_timing") })
        #expect(timing.notes.contains { $0.contains("pg_test_timing") })
    }

    @Test func aPostmasterContextAsksForARestart() throws {
        let snapshot = Example.snapshot(settings: [Example.setting("track_io_timing", "off", context: "postmaster")])
        let f = try #require(try QueryServerRuleRun.findings(LoggingSettingsRule.self, snapshot).first { $0.target == .setting("track_io_timing") })
        #expect(f.remediations == [.alterSystem(name: "track_io_timing", value: "on", restart: true)])
    }

    @Test func suggestedValuesAreParameters() throws {
        let findings = try QueryServerRuleRun.findings(
            LoggingSettingsRule.self, Example.snapshot(), ["log-min-duration": "250ms", "log-temp-files": "0"])
        let byTarget = Dictionary(uniqueKeysWithValues: findings.map { ($0.target, $0.remediations) })
        #expect(byTarget[.setting("log_min_duration_statement")] == [.alterSystem(name: "log_min_duration_statement", value: "250ms", restart: false)])
        #expect(byTarget[.setting("log_temp_files")] == [.alterSystem(name: "log_temp_files", value: "0kB", restart: false)])
    }

    @Test func aDeliberateLowDurationIsLeftAlone() throws {
        let snapshot = Example.snapshot(settings: [Example.setting("log_min_duration_statement", "0", unit: "ms", context: "superuser")])
        let findings = try QueryServerRuleRun.findings(LoggingSettingsRule.self, snapshot)
        #expect(!findings.contains { $0.target == .setting("log_min_duration_statement") })
    }
}
