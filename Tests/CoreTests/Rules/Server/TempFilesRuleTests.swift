import Core
import Model
import Testing

@Suite struct TempFilesRuleTests {
    @Test func reportsTheDailyVolumeAndPointsAtTheStatements() throws {
        let snapshot = Example.snapshot(database: Example.database(tempFiles: 12_000, tempBytes: 300 << 30))
        let f = try #require(try QueryServerRuleRun.findings(TempFilesRule.self, snapshot).first)
        #expect(f.target == .database("app"))
        #expect(f.evidence("tempBytesPerDay") == .bytes(10 << 30))
        #expect(f.evidence("workMemBytes") == .bytes(4 << 20))
        #expect(f.evidence("logTempFiles") == .text("-1"))
        #expect(f.message.contains("10 GB a day"))
        #expect(!f.remediations.contains { if case .alterSystem = $0 { true } else { false } })
        #expect(f.remediations.contains { if case .manual(let text) = $0 { text.contains("temp-spill-query") } else { false } })
        #expect(f.remediations.contains { if case .manual(let text) = $0 { text.contains("log_temp_files") } else { false } })
    }

    @Test func theThresholdScalesWithTheAgeOfTheStatistics() throws {
        let snapshot = Example.snapshot(database: Example.database(tempFiles: 400, tempBytes: 20 << 30))
        #expect(try QueryServerRuleRun.findings(TempFilesRule.self, snapshot).isEmpty)
        #expect(try QueryServerRuleRun.findings(TempFilesRule.self, snapshot, ["min-temp-bytes-per-day": "512MB"]).count == 1)
    }

    @Test func logTempFilesAlreadyOnIsNotSuggestedAgain() throws {
        let snapshot = Example.snapshot(
            settings: [Example.setting("log_temp_files", "10240", unit: "kB", context: "superuser")],
            database: Example.database(tempFiles: 12_000, tempBytes: 300 << 30))
        let f = try #require(try QueryServerRuleRun.findings(TempFilesRule.self, snapshot).first)
        #expect(!f.remediations.contains { if case .manual(let text) = $0 { text.contains("log_temp_files") } else { false } })
    }
}
