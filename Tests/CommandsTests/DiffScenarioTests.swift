import Foundation
import Testing
import TestSupport

/// `pgadvisor diff` on snapshots of a real database: a workload, then a changed workload (an
/// index dropped under a lookup, a new heavy statement, an index no longer read), then the
/// statistics reset.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct DiffScenarioTests {
    static let database = "pgadvisor_diff"

    /// Runs `statement(i)` for i in 1...times in one psql session (ended before returning, so
    /// its table and index counters are flushed).
    static func workload(_ times: Int, _ statement: (Int) -> String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-diff-\(UUID().uuidString).sql")
        try (1...times).map(statement).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try PostgresTools.psql(database, ["-o", "/dev/null", "-f", file.path])
    }

    static func lookups(_ n: Int) throws { try workload(n) { "SELECT payload FROM app.items WHERE code = 'c\($0 * 37)';" } }

    static func snapshot(_ folder: URL, _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let r = try CLI.run(["snapshot", TestServer.uri(database), "--output", path])
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLI.run(["diff"] + arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func aChangedWorkloadThenAReset() throws {
        try TestServer.freshDatabase(Self.database, setup: [
            "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
            "CREATE SCHEMA app",
            "CREATE TABLE app.items (id bigint PRIMARY KEY, category int NOT NULL, code text NOT NULL, payload text NOT NULL)",
            "INSERT INTO app.items SELECT g, g % 100, 'c' || g, repeat(md5(g::text), 3) FROM generate_series(1, 100000) g",
            "CREATE INDEX items_code_idx ON app.items (code)",
            "CREATE INDEX items_category_idx ON app.items (category)",
            "VACUUM ANALYZE app.items",
        ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        try Self.lookups(50)
        try Self.workload(20) { "SELECT count(*) FROM app.items WHERE category = \($0);" }
        let a = try Self.snapshot(folder, "a.json")
        // The lookup loses its index; a new scan arrives; nothing reads by category any more.
        try PostgresTools.psql(Self.database, ["-c", "DROP INDEX app.items_code_idx"])
        try Self.lookups(50)
        try Self.workload(12) { "SELECT count(*) FROM app.items WHERE payload LIKE '%\(String($0, radix: 16))zz%';" }
        let b = try Self.snapshot(folder, "b.json")

        let ab = try Self.json([a, b])
        let resets = try #require(ab["resets"] as? [String: Any])
        #expect(resets["statements"] == nil && resets["relations"] == nil, "\(resets)")
        let statements = try #require(ab["statements"] as? [String: [[String: Any]]])
        let regressed = try #require(statements["regressed"]?.first { ($0["text"] as? String)?.contains("WHERE code =") == true },
                                     "\(statements)")
        #expect(regressed["basis"] as? String == "window")
        #expect(regressed["windowCalls"] as? Int == 50)
        #expect(statements["new"]?.contains { ($0["text"] as? String)?.contains("LIKE") == true } == true, "\(statements)")
        let indexes = try #require(ab["indexes"] as? [[String: Any]]).map { "\($0["change"] ?? "") \($0["index"] ?? "")" }
        #expect(indexes.contains("became-unused app.items_category_idx"), "\(indexes)")
        #expect(indexes.contains("dropped app.items_code_idx"), "\(indexes)")
        #expect((ab["old"] as? [String: Any])?["systemIdentifier"] is String, "the snapshot records the cluster's identity")
        #expect(try CLI.run(["diff", a, b, "--fail-on", "regression"]).status == 2)

        // Both families of counters reset for this database only, then a little workload.
        try PostgresTools.psql(Self.database, ["-c", "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)",
                                               "-c", "SELECT pg_stat_reset()"])
        try Self.lookups(12)
        let c = try Self.snapshot(folder, "c.json")
        let bc = try Self.json([b, c])
        let reset = try #require(bc["resets"] as? [String: Any])
        let statementsReset = try #require(reset["statements"] as? [String: Any], "\(reset)")
        #expect((statementsReset["evidence"] as? [String])?.contains { $0.hasPrefix("calls went down for") } == true, "\(statementsReset)")
        let relationsReset = try #require(reset["relations"] as? [String: Any], "\(reset)")
        #expect((relationsReset["evidence"] as? [String])?.first?.hasPrefix("pg_stat_database.stats_reset moved") == true, "\(relationsReset)")
        let text = try CLI.run(["diff", b, c])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Statistics resets and what they change"))
        #expect(text.stdout.contains("Statements: pg_stat_statements was reset"), "\(text.stdout)")
        #expect(text.stdout.contains("Index usage: the table and index counters were reset"), "\(text.stdout)")
    }
}
