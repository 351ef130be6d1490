import Foundation
import Testing
import TestSupport

/// The configuration file as the binary meets it, from the recorded demo snapshot: found in
/// the working directory, named in the report, suppressions and their end, saved runs.
struct ConfigCLITests {
    static let snapshot = PostgresTools.root.appendingPathComponent("reports/demo/snapshot.json").path

    static func folder() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "pgadvisor-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func run(_ arguments: [String], in directory: URL) throws -> CLIResult {
        try ProcessRunner.run(CLI.executable, arguments, environment: ProcessInfo.processInfo.environment, directory: directory)
    }

    static func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    static func write(_ text: String, _ file: URL) throws { try Data(text.utf8).write(to: file) }

    static func day(_ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    /// ./pgadvisor.toml is read without --config (its default format and [host] apply), and
    /// the report says so; elsewhere the same command reads none.
    @Test func theFileInTheWorkingDirectoryIsUsed() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try Self.run(["audit", "--from", Self.snapshot], in: dir)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("Config "))
        #expect(plain.stdout.contains("memory-settings") && plain.stdout.contains("needs the machine's memory"))

        try Self.write("format = \"markdown\"\n[host]\nram = \"4GB\"\ncpus = 2\n", dir.appendingPathComponent("pgadvisor.toml"))
        let found = try Self.run(["audit", "--from", Self.snapshot], in: dir)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.hasPrefix("# pgadvisor audit"), "format from the file")
        #expect(found.stdout.contains("| Configuration | `pgadvisor.toml` |"))
        #expect(!found.stdout.contains("needs the machine's memory"), "[host] ram from the file")
        let flags = try Self.run(["audit", "--from", Self.snapshot, "--format", "json", "--cpus", "4"], in: dir)
        #expect(try Self.json(flags)["configFile"] as? String == "pgadvisor.toml")

        let missing = try Self.run(["audit", "--from", Self.snapshot, "--config", "other.toml"], in: dir)
        CLIErrorTests.expectOneLineError(missing, status: 64, mentions: "cannot read configuration file other.toml")
    }

    /// A suppressed finding leaves the ranked list and --fail-on, and is counted; an expired
    /// entry suppresses nothing and is reported with its line and date.
    @Test func suppressionsAndTheirEnd() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("pgadvisor.toml")
        let before = try Self.json(try Self.run(["audit", "--from", Self.snapshot, "--format", "json"], in: dir))
        let findings = try #require(before["findings"] as? [[String: Any]])
        let first = try #require(findings.first)
        let (rule, target) = (first["rule"] as? String ?? "", first["target"] as? String ?? "")
        let severities = findings.compactMap { $0["severity"] as? String }
        try Self.write("""
            [[suppress]]
            rule = "\(rule)"
            target = "\(target)"
            reason = "accepted"
            until = "\(Self.day(1))"

            [[suppress]]
            rule = "*"
            target = "*"
            reason = "old blanket entry"
            until = "\(Self.day(-1))"
            """, config)
        let r = try Self.run(["audit", "--from", Self.snapshot, "--format", "json"], in: dir)
        let after = try Self.json(r)
        let left = try #require(after["findings"] as? [[String: Any]])
        #expect(!left.contains { $0["rule"] as? String == rule && $0["target"] as? String == target })
        #expect(left.count == findings.count - 1)
        let suppressed = try #require(after["suppressed"] as? [String: Any])
        #expect(suppressed["count"] as? Int == 1)
        #expect((suppressed["counts"] as? [String: Int])?[severities[0]] == 1)
        let expired = try #require(suppressed["expired"] as? [[String: Any]])
        #expect(expired.count == 1 && expired.first?["line"] as? Int == 7 && expired.first?["until"] as? String == Self.day(-1))

        let text = try Self.run(["audit", "--from", Self.snapshot], in: dir)
        #expect(text.stdout.contains("Suppressed by the configuration: 1 finding"))
        #expect(text.stdout.contains("Expired suppression at pgadvisor.toml:7: * on * ended on \(Self.day(-1))"))

        // Everything suppressed: --fail-on info no longer fails.
        try Self.write("[[suppress]]\nrule = \"*\"\ntarget = \"*\"\nreason = \"all\"\n", config)
        let quiet = try Self.run(["audit", "--from", Self.snapshot, "--fail-on", "info"], in: dir)
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.contains("No findings"))
        try Self.write("", dir.appendingPathComponent("empty.toml"))
        let loud = try Self.run(["audit", "--from", Self.snapshot, "--fail-on", "info", "--config", "empty.toml"], in: dir)
        #expect(loud.status == 2)
    }

    /// --save keeps the snapshot and the JSON report under the run's UTC time, --keep prunes.
    @Test func savedRuns() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for _ in 0..<3 {
            let r = try Self.run(["audit", "--from", Self.snapshot, "--save", "runs", "--keep", "2"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("pgadvisor audit — "), "the report still goes to standard output")
            #expect(r.stderr.contains("run saved in runs/"))
        }
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("runs").path).sorted()
        #expect(runs.count == 2, "\(runs)")
        let last = dir.appendingPathComponent("runs").appendingPathComponent(try #require(runs.last))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: last.appendingPathComponent("audit.json"))) as? [String: Any])
        #expect(report["schemaVersion"] as? Int == 1 && report["findings"] is [Any])
        let saved = try Data(contentsOf: last.appendingPathComponent("snapshot.json"))
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.snapshot))
        #expect(try JSONSerialization.jsonObject(with: saved) as? NSDictionary == JSONSerialization.jsonObject(with: original) as? NSDictionary)
    }

    @Test(arguments: [
        (["audit", "--from", "x.json", "--keep", "3"], "--keep prunes the runs --save keeps"),
        (["audit", "--from", "x.json", "--save", "r", "--keep", "0"], "--keep must be at least 1"),
        (["audit", "--from", "x.json", "--jobs", "2"], "--jobs is for fleets"),
        (["audit", "--targets", "t.txt", "--fleet"], "not both"),
        (["audit", "dbname=x", "--targets", "t.txt"], "drop the connection string"),
        (["audit", "--targets", "t.txt", "--jobs", "0"], "--jobs must be from 1 to 64"),
        (["audit", "--targets", "/nonexistent/t.txt"], "cannot read the targets file"),
        (["audit", "--fleet", "--config", PostgresTools.root.appendingPathComponent("sql/demo/pgadvisor.toml").path], "no [[targets]] entry"),
        (["audit", "--from", "x.json", "--cpus", "4"], "together with --ram"),
    ])
    func badRunOptions(arguments: [String], mentions: String) throws {
        CLIErrorTests.expectOneLineError(try CLI.run(arguments), status: 64, mentions: mentions)
    }
}
