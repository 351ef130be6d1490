import Connector
import Foundation
import Testing
import TestSupport

/// The application holds a hot table ACCESS EXCLUSIVE while pgadvisor advises: the index advice
/// names the table it could not cost and still advises on it from statistics, marked
/// unverified, and neither the audit nor `indexes` waits for the lock or fails.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct LockedTableTests {
    static let database = "pgadvisor_locked"

    /// Two tables of 100,000 rows, each read by one selective statement; the counters are reset
    /// after the load so that the writes do not outweigh the reads.
    static func prepare() throws {
        try TestServer.freshDatabase(database, setup: [
            "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg",
            "CREATE TABLE hot (id int PRIMARY KEY, customer int, note text)",
            "INSERT INTO hot SELECT g, g % 5000, 'x' FROM generate_series(1, 100000) g",
            "CREATE TABLE cold (id int PRIMARY KEY, k int)",
            "INSERT INTO cold SELECT g, g % 3000 FROM generate_series(1, 100000) g",
            "ANALYZE",
            // The load's counters reach the shared statistics when the session goes idle: flush
            // them now, so that the reset clears them and the load is not taken for steady writes.
            "SELECT pg_stat_force_next_flush()",
            "SELECT pg_stat_reset()",
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)",
        ])
        let db = try TestServer.admin(database)
        defer { db.close() }
        for i in 1...30 {
            try db.query("SELECT * FROM hot WHERE customer = \(i)")
            try db.query("SELECT * FROM cold WHERE k = \(i)")
        }
    }

    /// Runs `arguments` while another session holds `hot` ACCESS EXCLUSIVE.
    static func whileLocked(_ arguments: [String]) throws -> (CLIResult, TimeInterval) {
        let holder = try TestServer.admin(database)
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE hot IN ACCESS EXCLUSIVE MODE")
        let started = Date()
        let result = try CLI.run(arguments)
        let elapsed = Date().timeIntervalSince(started)
        try holder.query("ROLLBACK")
        return (result, elapsed)
    }

    @Test func indexesNamesTheLockedTableAndAdvisesFromStatistics() throws {
        try Self.prepare()
        let (r, elapsed) = try Self.whileLocked(["indexes", TestServer.uri(Self.database), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        // One lock_timeout (2 s) for the table, not one per statement or candidate.
        #expect(elapsed < 15, "took \(elapsed) s")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["verified"] as? Bool == true)
        #expect(report["lockedTables"] as? [String] == ["public.hot"], "\(report)")
        let recommendations = report["recommendations"] as? [[String: Any]] ?? []
        let byIndex = Dictionary(recommendations.map { ($0["index"] as? String ?? "", $0) }) { a, _ in a }
        #expect(byIndex["public.cold (k)"]?["verified"] as? Bool == true, "\(recommendations)")
        #expect(byIndex["public.hot (customer)"]?["verified"] as? Bool == false, "\(recommendations)")
        let notes = report["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("table public.hot was locked by another session") && $0.contains("55P03") }, "\(notes)")
    }

    @Test func auditKeepsTheMissingIndexFindingOfTheLockedTable() throws {
        try Self.prepare()
        let (r, elapsed) = try Self.whileLocked(["audit", TestServer.uri(Self.database), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(elapsed < 15, "took \(elapsed) s")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = (object["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "missing-index" }
        let hot = findings.first { ($0["message"] as? String ?? "").contains("public.hot (customer)") }
        #expect(hot != nil, "\(findings)")
        #expect((hot?["notes"] as? [String] ?? []).contains { $0.contains("locked by another session") }, "\(hot ?? [:])")
        #expect(findings.contains { ($0["message"] as? String ?? "").contains("public.cold (k)") }, "\(findings)")
    }
}
