import Connector
import Foundation
import Testing
import TestSupport

/// A role with pg_monitor and nothing more: the audit runs, and what it cannot see (the
/// planner statistics of tables it may not read) makes the rules that need it skipped with
/// the reason and the grant that helps; --exact, which pg_monitor allows, measures instead.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct MonitorRoleTests {
    static let database = "pgadvisor_monitor"
    static let role = "pgadvisor_monitor_only"

    static func prepare() throws {
        try TestServer.freshDatabase(database, setup: [
            "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION pgstattuple",
            "CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric)",
            "INSERT INTO accounts SELECT g, 'owner ' || g, g FROM generate_series(1, 50000) g",
            "CREATE INDEX accounts_owner_idx ON accounts (owner)",
            "DELETE FROM accounts WHERE id % 2 = 0",
            "ANALYZE",
        ])
        let admin = try TestServer.admin()
        defer { admin.close() }
        try admin.query("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(role) LOGIN; END IF;
            END $$
            """)
        try admin.query("GRANT pg_monitor TO \(role)")
        try admin.query("GRANT CONNECT ON DATABASE \(database) TO \(role)")
    }

    static func audit(_ extra: [String] = []) throws -> [String: Any] {
        let r = try CLI.run(["audit", "host=\(TestServer.host) port=\(TestServer.port) user=\(role) dbname=\(database)",
                             "--format", "json"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static func skipped(_ report: [String: Any]) -> [String: String] {
        Dictionary((report["skipped"] as? [[String: Any]] ?? []).map { ($0["rule"] as? String ?? "", $0["reason"] as? String ?? "") }) { a, _ in a }
    }

    @Test func rulesNeedingUnreadableStatisticsAreSkippedWithTheReason() throws {
        try Self.prepare()
        let report = try Self.audit()
        let skipped = Self.skipped(report)
        // (index-bloat skips the same way, but only for indexes large enough to matter.)
        for rule in ["table-bloat"] {
            #expect(skipped[rule]?.contains("no planner statistics are visible") == true, "\(rule): \(skipped)")
            #expect(skipped[rule]?.contains("pg_read_all_data") == true, "\(rule): \(skipped)")
        }
        let sources = report["sources"] as? [[String: Any]] ?? []
        let columnStats = sources.first { $0["source"] as? String == "column_stats" }
        #expect((columnStats?["fix"] as? String)?.contains("pg_read_all_data") == true, "\(sources)")
        // pg_monitor includes pg_read_all_stats: the statements and their texts are visible.
        #expect(!sources.contains { $0["source"] as? String == "pg_stat_statements" }, "\(sources)")
    }

    @Test func exactMeasurementNeedsOnlyPgMonitor() throws {
        try Self.prepare()
        let report = try Self.audit(["--exact"])
        #expect(Self.skipped(report)["table-bloat"] == nil, "\(Self.skipped(report))")
        let sources = report["sources"] as? [[String: Any]] ?? []
        #expect(!sources.contains { $0["source"] as? String == "exact_bloat" }, "\(sources)")
    }
}
