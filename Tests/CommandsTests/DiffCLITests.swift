import Core
import Foundation
import Model
import Testing
import TestSupport

/// `pgadvisor diff` on snapshot files and saved-run folders written by the test: the inputs it
/// accepts, the pairs it refuses, --fail-on and the formats. No server needed.
@Suite struct DiffCLITests {
    /// A temporary folder holding OLD (a day before) and NEW snapshot files; NEW's statement 1
    /// ran its last 100 calls at 10 ms against 2 ms before.
    struct Files {
        var folder: URL
        var old: String { folder.appendingPathComponent("old.json").path }
        var new: String { folder.appendingPathComponent("new.json").path }

        init(database: String = "app") throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-diff-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var old = Example.snapshot(statements: [Self.statement(calls: 1000, totalMs: 2000)])
            old.collectedAt = Example.ago(days: 1)
            var new = Example.snapshot(statements: [Self.statement(calls: 1100, totalMs: 3000)])
            new.server.database = database
            try Self.write(old, to: self.old)
            try Self.write(new, to: self.new)
        }

        static func statement(calls: Int64, totalMs: Double) -> StatementStats {
            StatementStats(queryId: 42, userName: "app", query: "SELECT * FROM app.orders WHERE id = $1", calls: calls, totalExecTime: totalMs)
        }

        static func write(_ snapshot: Snapshot, to path: String) throws {
            try snapshot.jsonData().write(to: URL(fileURLWithPath: path))
        }

        /// A run folder `name` under `dir` holding a copy of `snapshot`.
        func run(_ dir: String, _ name: String, _ snapshot: String) throws {
            let run = folder.appendingPathComponent(dir).appendingPathComponent(name)
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: snapshot, toPath: run.appendingPathComponent("snapshot.json").path)
            try Data("{}".utf8).write(to: run.appendingPathComponent("audit.json"))
        }

        func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }
    }

    @Test func twoFilesShowTheRegressionOverTheWindow() throws {
        let f = try Files()
        let r = try CLI.run(["diff", f.old, f.new])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 statement regressed"), "\(r.stdout)")
        #expect(r.stdout.contains("Regressed statements"))
        #expect(r.stdout.contains("2.00 ms") && r.stdout.contains("10.0 ms") && r.stdout.contains("+400%"), "\(r.stdout)")
        #expect(r.stderr.isEmpty)
    }

    @Test func failOnRegressionExitsTwoAfterPrintingTheReport() throws {
        let f = try Files()
        let r = try CLI.run(["diff", f.old, f.new, "--fail-on", "regression"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("Regressed statements"))
        // A stricter share finds nothing: exit 0.
        #expect(try CLI.run(["diff", f.old, f.new, "--fail-on", "regression", "--regression", "500%"]).status == 0)
        // No new finding at warning.
        #expect(try CLI.run(["diff", f.old, f.new, "--fail-on", "warning"]).status == 0)
    }

    @Test func latestComparesTheLastTwoRunFolders() throws {
        let f = try Files()
        try f.run("runs", "20261201T225000Z", f.new)   // oldest: never compared
        try f.run("runs", "20261202T225000Z", f.old)
        try f.run("runs", "20261203T225000Z", f.new)
        let r = try CLI.run(["diff", "--latest", f.path("runs"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect((object["old"] as? [String: Any])?["source"] as? String == f.path("runs/20261202T225000Z"))
        #expect((object["new"] as? [String: Any])?["source"] as? String == f.path("runs/20261203T225000Z"))
        let regressed = try #require((object["statements"] as? [String: Any])?["regressed"] as? [[String: Any]])
        #expect(regressed.first?["queryId"] as? Int == 42)
        #expect(regressed.first?["basis"] as? String == "window")
        // A run folder works as an argument too.
        let folders = try CLI.run(["diff", f.path("runs/20261202T225000Z"), f.path("runs/20261203T225000Z")])
        #expect(folders.status == 0 && folders.stdout.contains("1 statement regressed"), "\(folders.stderr)")
    }

    @Test func latestExplainsWhatIsMissing() throws {
        let f = try Files()
        try f.run("one", "20261202T225000Z", f.old)
        let one = try CLI.run(["diff", "--latest", f.path("one")])
        #expect(one.status == 1)
        #expect(one.stderr == "pgadvisor: error: \(f.path("one")) holds only one saved run (20261202T225000Z): diff needs two; run 'pgadvisor audit --save \(f.path("one"))' again later\n")
        let missing = try CLI.run(["diff", "--latest", f.path("nowhere")])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("pgadvisor: error: no such folder: \(f.path("nowhere"))"))
        try f.run("fleet/db1", "20261202T225000Z", f.old)
        try f.run("fleet/db2", "20261202T225000Z", f.old)
        let fleet = try CLI.run(["diff", "--latest", f.path("fleet")])
        #expect(fleet.status == 64)
        #expect(fleet.stderr.contains("holds one folder of runs per target (db1, db2): pass one of them"), "\(fleet.stderr)")
    }

    @Test func refusesPairsThatCannotBeCompared() throws {
        let f = try Files()
        let reversed = try CLI.run(["diff", f.new, f.old])
        #expect(reversed.status == 64)
        #expect(reversed.stderr.contains("before OLD") && reversed.stderr.contains("pass the older snapshot first"), "\(reversed.stderr)")
        let other = try Files(database: "billing")
        let r = try CLI.run(["diff", other.old, other.new])
        #expect(r.status == 1)
        #expect(r.stderr == "pgadvisor: error: OLD is of database app, NEW of database billing: compare snapshots of one database, or add --allow-other-server (counters are then taken as restarted)\n")
        let forced = try CLI.run(["diff", other.old, other.new, "--allow-other-server"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("every counter is taken as restarted"))
    }

    @Test func badArgumentsAreOneLineUsageErrors() throws {
        let f = try Files()
        for (arguments, message) in [
            (["diff", f.old], "give NEW too"),
            (["diff"], "give OLD and NEW"),
            (["diff", f.old, f.new, "--latest", f.folder.path], "not both"),
            (["diff", f.old, f.new, "--regression", "fast"], "--regression takes a share"),
            (["diff", f.old, f.new, "--min-delta", "soon"], "--min-delta takes a duration"),
            (["diff", f.old, f.new, "--fail-on", "sometimes"], "sometimes"),
            (["diff", f.old, f.new, "--format", "junit"], "diff writes text, markdown, json or html"),
        ] {
            let r = try CLI.run(arguments)
            #expect(r.status == 64, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
        }
        let missing = try CLI.run(["diff", f.old, f.path("nope.json")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file or folder"))
        let empty = f.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let notRun = try CLI.run(["diff", f.old, empty])
        #expect(notRun.status == 1 && notRun.stderr.contains("is a folder without snapshot.json"), "\(notRun.stderr)")
    }

    @Test func htmlIsOneSelfContainedPage() throws {
        let f = try Files()
        let page = f.path("diff.html")
        let r = try CLI.run(["diff", f.old, f.new, "--output", page])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1>pgadvisor diff — app</h1>"))
        #expect(html.contains("<h2>Regressed statements</h2>"))
        #expect(html.contains("Time added by regressed statements"), "the chart")
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains(" src="), "nothing is fetched")
    }

    @Test func markdownHasATablePerSection() throws {
        let f = try Files()
        let r = try CLI.run(["diff", f.old, f.new, "--format", "markdown"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("# pgadvisor diff — app\n"))
        #expect(r.stdout.contains("## Regressed statements"))
        #expect(r.stdout.contains("| query | user | calls | mean OLD | mean now | change | added | figures | statement |"))
        // Deterministic: the same inputs give the same bytes.
        #expect(try CLI.run(["diff", f.old, f.new, "--format", "markdown"]).stdout == r.stdout)
    }
}
