import Foundation
import Testing
import TestSupport

/// `audit --targets`: two databases of the shared test cluster and one nothing answers for,
/// audited two at a time.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct FleetTests {
    static let secret = "Sup3r-s3cret!pw"

    static func folder() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "pgadvisor-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func databases() throws {
        for name in ["fleet_a", "fleet_b"] {
            try TestServer.freshDatabase(name, setup: ["CREATE TABLE events (at timestamptz, payload text)"])
        }
    }

    @Test func aFleetWithOneUnreachableTarget() throws {
        try Self.databases()
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let targets = dir.appendingPathComponent("fleet.toml")
        try Data("""
            [[targets]]
            name = "a"
            conninfo = "\(TestServer.conninfo("fleet_a"))"

            [[targets]]
            name = "gone"
            conninfo = "host=127.0.0.1 port=1 user=x password=\(Self.secret) connect_timeout=3"

            [[targets]]
            name = "b"
            conninfo = "\(TestServer.uri("fleet_b"))"
            ram = "4GB"
            """.utf8).write(to: targets)
        let save = dir.appendingPathComponent("runs").path
        let r = try CLI.run(["audit", "--targets", targets.path, "--jobs", "2", "--save", save])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("1 of 3 targets could not be audited (gone)"), "\(r.stderr)")
        #expect(!r.stdout.contains(Self.secret) && !r.stderr.contains(Self.secret))
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            .filter { ["a", "gone", "b"].contains($0.first.map(String.init) ?? "") }
        #expect(rows.map { String($0[0]) } == ["a", "gone", "b"], "targets in file order:\n\(r.stdout)")
        #expect(rows.map { String($0[1]) } == ["ok", "error", "ok"])
        #expect(r.stdout.contains("Connection refused") || r.stdout.contains("could not connect"), "\(r.stdout)")
        #expect(r.stdout.contains("warning statements-unavailable fleet_a"), "top finding:\n\(r.stdout)")

        let fm = FileManager.default
        #expect(try fm.contentsOfDirectory(atPath: save).sorted() == ["a", "b"], "nothing saved for the unreachable target")
        for name in ["a", "b"] {
            let runs = try fm.contentsOfDirectory(atPath: save + "/" + name)
            #expect(runs.count == 1 && runs[0].hasSuffix("Z"), "\(runs)")
            let run = save + "/" + name + "/" + runs[0]
            #expect(try fm.contentsOfDirectory(atPath: run).sorted() == ["audit.json", "snapshot.json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/audit.json"))) as? [String: Any])
            #expect((report["server"] as? [String: Any])?["database"] as? String == "fleet_\(name)")
            let skipped = report["skipped"] as? [[String: Any]] ?? []
            let memorySkipped = skipped.contains { $0["rule"] as? String == "memory-settings" }
            #expect(memorySkipped == (name == "a"), "only b has the machine's RAM")
        }
    }

    /// A list file, JSON output, and the exit status of --fail-on when every target answers.
    @Test func aListFileAndFailOn() throws {
        try Self.databases()
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = dir.appendingPathComponent("fleet.txt")
        try Data("# two databases\n\n\(TestServer.conninfo("fleet_a"))\n\(TestServer.uri("fleet_b"))\n".utf8).write(to: list)
        let r = try CLI.run(["audit", "--targets", list.path, "--jobs", "2", "--format", "json", "--fail-on", "warning"])
        #expect(r.status == 2, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let targets = try #require(report["targets"] as? [[String: Any]])
        #expect(targets.map { $0["name"] as? String } == [TestServer.conninfo("fleet_a"), TestServer.uri("fleet_b")])
        #expect(targets.allSatisfy { $0["status"] as? String == "ok" && $0["counts"] is [String: Int] && $0["top"] is [String: Any] })
        let problems = LiveReportSchemas.problems(r.stdout, schema: "fleet.schema.json")
        #expect(problems.isEmpty, "the fleet summary against reports/schema/fleet.schema.json: \(problems.prefix(10))")

        let calm = try CLI.run(["audit", "--targets", list.path, "--fail-on", "critical"])
        #expect(calm.status == 0, "\(calm.stderr)")
    }
}
