import Connector
import Foundation
import Testing
import TestSupport

/// A 1 MB statement and 5,000 statements in pg_stat_statements: audit and indexes finish with
/// bounded memory (peak RSS of the binary, read with wait4), and the index advisor skips the
/// huge statement with the reason instead of parsing it. A bound, not a timing.
@Suite(.enabled(if: TestServer.isAvailable(.isolated), "needs the isolated throwaway server: run scripts/test"),
       .serialized, .isolatedCluster)
struct BigInputTests {
    static let database = "pgadvisor_big"
    static let maxRSSBytes: Int64 = 300 << 20

    /// Runs pgadvisor, returning its exit status, standard output and peak resident set size.
    static func runMeasured(_ arguments: [String]) throws -> (status: Int32, stdout: String, peakBytes: Int64) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-big-\(getpid()).out").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([CLI.executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, CLI.executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw PostgresTools.ToolError(message: "posix_spawn failed: \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return (exit, stdout, Int64(usage.ru_maxrss) * 1024)
    }

    static func prepare() throws {
        try TestServer.freshDatabase(database, setup: [
            "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg",
            "CREATE TABLE items (id int PRIMARY KEY, a int, b int, c int, d text)",
            "INSERT INTO items SELECT g, g % 100, g % 1000, g % 7, 'x' FROM generate_series(1, 20000) g",
            "ANALYZE",
            "SELECT pg_stat_statements_reset()",
        ])
        // 5,000 statements of different shapes: pg_stat_statements folds constants and aliases,
        // so they differ in IN-list length, column, ORDER BY and LIMIT.
        var workload = ""
        let columns = ["a", "b", "c", "id"], orders = ["", " ORDER BY id", " ORDER BY a", " ORDER BY b", " ORDER BY c"]
        let limits = ["", " LIMIT 5", " OFFSET 1"]
        for i in 0..<5000 {
            let shape = i / 100
            let list = (0...(i % 100)).map(String.init).joined(separator: ",")
            workload += "SELECT id FROM items WHERE \(columns[shape % 4]) IN (\(list))\(orders[(shape / 4) % 5])\(limits[(shape / 20) % 3]);\n"
        }
        // About 1 MB of text even once pg_stat_statements replaces the constants by $n.
        // Run three times, so it is among the statements with the most execution time.
        let huge = "SELECT count(*) FROM items WHERE a IN (" + (1...140_000).map(String.init).joined(separator: ",") + ");\n"
        workload += huge + huge + huge
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-big-\(getpid()).sql")
        defer { try? FileManager.default.removeItem(at: file) }
        try workload.write(to: file, atomically: true, encoding: .utf8)
        try PostgresTools.psql(database, ["-o", "/dev/null", "-f", file.path])
    }

    @Test func auditAndIndexesStayWithinBoundedMemory() throws {
        try Self.prepare()
        let admin = try TestServer.admin(Self.database)
        let longest = try admin.query("SELECT max(length(query)) AS n, count(*) AS c FROM pg_stat_statements").first
        admin.close()
        let longestText = try longest?["n"].int() ?? 0
        #expect(longestText > 900_000, "the longest statement text is \(longestText) characters")
        let statements = try longest?["c"].int() ?? 0
        #expect(statements >= 4000, "pg_stat_statements holds \(statements) statements")

        // The 1 MB text bloats pg_stat_statements' text file for every later test: start afresh after.
        defer {
            if let db = try? TestServer.admin() {
                _ = try? db.query("SELECT pg_stat_statements_reset()")
                db.close()
            }
        }
        let uri = TestServer.uri(Self.database)
        let audit = try Self.runMeasured(["audit", uri, "--format", "json"])
        #expect(audit.status == 0)
        #expect(audit.peakBytes < Self.maxRSSBytes, "audit peaked at \(audit.peakBytes >> 20) MB")
        let indexes = try Self.runMeasured(["indexes", uri, "--format", "json", "--explain-rejections"])
        #expect(indexes.status == 0)
        #expect(indexes.peakBytes < Self.maxRSSBytes, "indexes peaked at \(indexes.peakBytes >> 20) MB")
        print("big inputs: audit peak RSS \(audit.peakBytes >> 20) MB, indexes peak RSS \(indexes.peakBytes >> 20) MB "
              + "(\(longestText) character statement, 5,000 statements)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(indexes.stdout.utf8)) as? [String: Any])
        let skipped = report["skippedStatements"] as? [[String: Any]] ?? []
        let huge = skipped.first { ($0["text"] as? String ?? "").count > 900_000 }
        #expect((huge?["reason"] as? String)?.contains("the advisor parses") == true, "\(huge?["reason"] ?? "not skipped")")
    }
}
