import Foundation
import Testing
import TestSupport

/// The review on PostgreSQL 18 (no hypopg package there): plans and migration checks work, and
/// the report says the missing-index check was not made, and why.
@Suite(.serialized)
struct ReviewVersionTests {
    @Test func reviewRunsOnPostgres18WithoutHypopg() throws {
        guard TestServer.required(.version18) else { return }
        try TestServer.$cluster.withValue(.version18) {
            let db = try TestServer.freshDatabase("pgadvisor_review18", setup: [
                "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account int NOT NULL, at timestamptz NOT NULL)",
                "INSERT INTO events (account, at) SELECT g % 5000, now() - g * interval '1 second' FROM generate_series(1, 120000) g",
                "ANALYZE events",
            ])
            let path = NSTemporaryDirectory() + "pgadvisor-review18.sql"
            try Data("SELECT * FROM events WHERE account = 42;\nCREATE INDEX events_at ON events (at);\n".utf8)
                .write(to: URL(fileURLWithPath: path))
            let r = try CLI.run(["review", "--queries", path, TestServer.uri(db), "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect((object["target"] as? String ?? "").contains("PostgreSQL 18"))
            let statements = object["statements"] as? [[String: Any]] ?? []
            let checks = statements.map { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? String } }
            #expect(checks == [["seq-scan-large-table"], ["create-index-not-concurrently", "lock-timeout-missing"]], "\(checks)")
            #expect((object["notes"] as? [String] ?? []).joined().contains("hypopg"), "\(object["notes"] ?? "")")
        }
    }
}
