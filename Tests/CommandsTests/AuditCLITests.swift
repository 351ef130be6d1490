import Core
import Foundation
import Testing
import TestSupport

@testable import Commands

/// The audit's command line without a server: rule listing, configuration errors, the rule
/// reference in reports/, --fail-on from a snapshot file.
@Suite struct AuditCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func ruleReferenceInReportsIsCurrent() throws {
        let path = Self.root.appendingPathComponent("reports/rules.md").path
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(onDisk == RuleReference.markdown(RuleRegistry.descriptions),
                "reports/rules.md is stale: run scripts/reports")
    }

    @Test func rulesListsEveryRule() throws {
        let r = try CLI.run(["rules"])
        #expect(r.status == 0)
        for id in RuleRegistry.descriptions.map(\.id) { #expect(r.stdout.contains(id)) }
    }

    @Test func explainPrintsParametersAndOverrides() throws {
        let r = try CLI.run(["explain", "unused-index", "--set", "unused-index.min-stats-age=30d"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("min-stats-age"))
        #expect(r.stdout.contains("7d (now 30d)"))
    }

    @Test(arguments: [
        (["explain", "no-such-rule"], "no rule 'no-such-rule'"),
        (["audit", "--from", "x.json", "--set", "unused-index.min-stats-age"], "--set takes rule.key=value"),
        (["audit", "--from", "x.json", "--set", "no-such-rule.x=1"], "unknown rule 'no-such-rule'"),
        (["audit", "--from", "x.json", "--set", "unused-index.colour=blue"], "has no parameter 'colour'"),
        (["audit", "--from", "x.json", "--set", "unused-index.min-size=huge"], "takes a size"),
        (["audit", "--from", "x.json", "--fail-on", "severe"], "fail-on"),
        (["audit", "--from", "x.json", "--exact"], "--exact"),
    ])
    func badAuditSettings(arguments: [String], mentions: String) throws {
        let r = try CLI.run(arguments)
        CLIErrorTests.expectOneLineError(r, status: 64, mentions: mentions)
    }

    @Test func configFileErrorsNameTheFile() throws {
        let path = NSTemporaryDirectory() + "pgadvisor-bad.toml"
        try Data("[rules.unused-index]\nmin-stats-age = \"soon\"\n".utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["audit", "--from", "x.json", "--config", path])
        CLIErrorTests.expectOneLineError(r, status: 64, mentions: "\(path):2: unused-index.min-stats-age takes a duration")

        try Data("[rules.unused-index\n".utf8).write(to: URL(fileURLWithPath: path))
        let broken = try CLI.run(["audit", "--from", "x.json", "--config", path])
        CLIErrorTests.expectOneLineError(broken, status: 64, mentions: path)

        let missing = try CLI.run(["audit", "--from", "x.json", "--config", "/nonexistent/pgadvisor.toml"])
        CLIErrorTests.expectOneLineError(missing, status: 64, mentions: "cannot read configuration file")
    }

    @Test func readmeConfigurationExampleIsValid() throws {
        let readme = try String(contentsOfFile: Self.root.appendingPathComponent("README.md").path, encoding: .utf8)
        let start = try #require(readme.range(of: "```toml\n"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let file = try ConfigFile.parse(String(readme[start.upperBound..<end.lowerBound]), path: "README.md")
        #expect(!file.ruleEntries.isEmpty && !file.suppressions.isEmpty && !file.targets.isEmpty && file.host.ramBytes != nil)
        var configuration = AuditConfiguration()
        try file.apply(to: &configuration)
        #expect(!configuration.parameters.isEmpty || !configuration.disabledRules.isEmpty)
    }

    @Test func configFileParsesEveryValueType() throws {
        let parsed = try ConfigFile.parse("""
            [rules.slow-query]
            mean-time = "250ms"
            min-calls = 5
            critical-share = 0.5
            [rules.unused-index]
            enabled = false
            """, path: "t.toml").rules
        #expect(parsed["slow-query"] == ["mean-time": "250ms", "min-calls": "5", "critical-share": "0.5"])
        #expect(parsed["unused-index"] == ["enabled": "false"])
        #expect(throws: CLIError.self) { try ConfigFile.parse("[server]\nx = 1\n", path: "t.toml") }
    }
}
