import Core
import Model
import Testing

@Suite struct StatementsUnavailableRuleTests {
    static let missing: [String: SourceStatus.State] = ["pg_stat_statements": .missing, "pg_stat_statements_info": .missing]
    static let available = [ExtensionInfo(name: "pg_stat_statements", defaultVersion: "1.10")]

    static func one(_ snapshot: Snapshot) throws -> Finding {
        let findings = try QueryServerRuleRun.findings(StatementsUnavailableRule.self, snapshot)
        #expect(findings.count == 1)
        return try #require(findings.first)
    }

    @Test func preloadKeepsTheLibrariesAlreadyLoadedAndCreatesTheExtension() throws {
        let f = try Self.one(Example.snapshot(
            settings: [Example.setting("shared_preload_libraries", "auto_explain,\"pg_cron\"", context: "postmaster")],
            extensions: Self.available, missingSources: Self.missing))
        #expect(f.target == .setting("shared_preload_libraries"))
        #expect(f.severity == .warning)
        #expect(f.remediations == [
            .alterSystem(name: "shared_preload_libraries", value: "auto_explain, pg_cron, pg_stat_statements", restart: true),
            .createExtension("pg_stat_statements"),
        ])
        #expect(f.message.contains("not in shared_preload_libraries"))
        #expect(f.message.contains("not created in database app"))
        #expect(f.evidence("sharedPreloadLibraries") == .list(["auto_explain", "pg_cron"]))
    }

    @Test func emptyPreloadListGetsTheLibraryAlone() throws {
        let f = try Self.one(Example.snapshot(
            settings: [Example.setting("shared_preload_libraries", "", context: "postmaster")],
            extensions: Self.available, missingSources: Self.missing))
        #expect(f.remediations.first == .alterSystem(name: "shared_preload_libraries", value: "pg_stat_statements", restart: true))
        #expect(f.notes.isEmpty)
    }

    @Test func preloadedButNotCreatedNeedsOnlyCreateExtension() throws {
        let f = try Self.one(Example.snapshot(extensions: Self.available, missingSources: Self.missing))
        #expect(f.target == .database("app"))
        #expect(f.remediations == [.createExtension("pg_stat_statements")])
    }

    @Test func createdButNotPreloadedNeedsOnlyTheRestart() throws {
        let f = try Self.one(Example.snapshot(
            settings: [Example.setting("shared_preload_libraries", "", context: "postmaster")], missingSources: Self.missing))
        #expect(f.remediations == [.alterSystem(name: "shared_preload_libraries", value: "pg_stat_statements", restart: true)])
    }

    @Test func moduleMissingFromTheServerSaysWhichPackage() throws {
        let f = try Self.one(Example.snapshot(
            settings: [Example.setting("shared_preload_libraries", "", context: "postmaster")], extensions: [],
            missingSources: Self.missing))
        guard case .manual(let text)? = f.remediations.first else {
            Issue.record("expected a manual install step first, got \(f.remediations)")
            return
        }
        #expect(text.contains("postgresql-15"))
        #expect(f.remediations.contains(.createExtension("pg_stat_statements")))
    }

    @Test func hiddenPreloadSettingIsNotGuessed() throws {
        var snapshot = Example.snapshot(extensions: Self.available, missingSources: Self.missing)
        snapshot.settings.removeAll { $0.name == "shared_preload_libraries" }
        let f = try Self.one(snapshot)
        #expect(!f.remediations.contains { if case .alterSystem = $0 { true } else { false } })
        #expect(f.remediations.contains(.createExtension("pg_stat_statements")))
    }

    @Test func deniedUsesTheCollectorsFix() throws {
        let f = try Self.one(Example.snapshot(missingSources: ["pg_stat_statements": .denied]))
        #expect(f.target == .server)
        #expect(f.remediations == [.manual("collect pg_stat_statements")])
        #expect(f.message.contains("denied"))
    }

    @Test func partialVisibilityFindingsAreInfoWithTheirOwnFixes() throws {
        let findings = try QueryServerRuleRun.findings(
            StatementsUnavailableRule.self, StatementsUnavailableRule.partial(hidden: 3, deallocations: 12))
        let hidden = try #require(findings.first { $0.target == .server })
        #expect(hidden.severity == .info)
        #expect(hidden.message.contains("3 of 4"))
        #expect(hidden.remediations.contains { if case .manual(let text) = $0 { text.contains("pg_read_all_stats TO audit") } else { false } })
        let evicted = try #require(findings.first { $0.target == .setting("pg_stat_statements.max") })
        #expect(evicted.severity == .info)
        #expect(evicted.remediations == [.alterSystem(name: "pg_stat_statements.max", value: "10000", restart: true)])
    }

    @Test func trackingOffIsAWarning() throws {
        let snapshot = Example.snapshot(settings: [
            Example.setting("pg_stat_statements.track", "none", context: "superuser"),
        ])
        let f = try Self.one(snapshot)
        #expect(f.target == .setting("pg_stat_statements.track"))
        #expect(f.remediations == [.alterSystem(name: "pg_stat_statements.track", value: "top", restart: false)])
    }
}
