import Connector
import Foundation
import Testing
import TestSupport

/// With `log_statement = 'all'` on a database, snapshot, audit, indexes (the what-if session)
/// and plan send nothing that writes: every statement they send, as the server logged it, is
/// a read, a session-local SET, transaction control, or EXPLAIN without ANALYZE.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct ReadOnlyTests {
    static let database = "pgadvisor_readonly"

    @Test func readingCommandsSendNoWritingStatement() throws {
        try TestServer.freshDatabase(Self.database, setup: [
            "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg",
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer int, status text, total numeric)",
            "INSERT INTO orders SELECT g, g % 4000, CASE WHEN g % 50 = 0 THEN 'open' ELSE 'done' END, g FROM generate_series(1, 60000) g",
            "CREATE INDEX orders_status_idx ON orders (status)",
            "CREATE INDEX orders_status_dup ON orders (status)",
            "ANALYZE",
        ])
        let db = try TestServer.admin(Self.database)
        for i in 1...20 {
            try db.query("SELECT * FROM orders WHERE customer = \(i)")
            try db.query("UPDATE orders SET total = total + 1 WHERE customer = \(i) AND status = 'open'")
        }
        try db.query("ALTER DATABASE \(Self.database) SET log_statement = 'all'")
        db.close()
        let log = ServerLog(path: TestServer.host + "/server.log")
        let start = try log.size()
        let uri = TestServer.uri(Self.database)
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-readonly-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: snapshot) }
        for arguments in [["snapshot", uri, "--output", snapshot.path], ["audit", uri], ["indexes", uri], ["plan", uri]] {
            let r = try CLI.run(arguments)
            #expect(r.status == 0, "\(arguments[0]): \(r.stderr)")
        }
        let sent = try log.statements(since: start, database: Self.database)
        // The what-if session ran (hypothetical indexes and EXPLAIN) and every command was logged.
        #expect(sent.contains { $0.contains("hypopg_create_index") }, "\(sent.count) statements logged")
        #expect(sent.contains { ReadOnlyCheck.body($0).hasPrefix("EXPLAIN") })
        let writes = sent.compactMap { statement in ReadOnlyCheck.violation(statement).map { "\($0): \(statement.prefix(200))" } }
        #expect(writes.isEmpty, "\(writes.joined(separator: "\n"))")
        // The checker itself tells writes apart.
        for write in ["INSERT INTO t VALUES (1)", "-- pgadvisor: x\nALTER SYSTEM SET work_mem = '1MB'", "VACUUM t",
                      "EXPLAIN (ANALYZE) DELETE FROM t", "SELECT pg_catalog.pg_stat_reset()", "COPY t FROM STDIN",
                      "SELECT * FROM t FOR UPDATE", "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"] {
            #expect(ReadOnlyCheck.violation(write) != nil, "\(write)")
        }
    }
}

/// The statements one database's sessions sent, read from the server log
/// (`log_statement = 'all'`; scripts/postgres's `log_line_prefix` names user, database and
/// application).
struct ServerLog {
    var path: String

    func size() throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Each logged statement (simple or extended protocol) after byte `offset`, continuation
    /// lines joined.
    func statements(since offset: UInt64, database: String) throws -> [String] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var entries: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("\t"), !entries.isEmpty {
                entries[entries.count - 1] += "\n" + line.dropFirst()
            } else {
                entries.append(String(line))
            }
        }
        let marker = "@\(database) "
        return entries.compactMap { entry -> String? in
            guard entry.contains(marker) else { return nil }
            for tag in ["LOG:  statement: ", "LOG:  execute "] {
                guard let range = entry.range(of: tag) else { continue }
                var rest = entry[range.upperBound...]
                if tag == "LOG:  execute ", let colon = rest.range(of: ": ") { rest = rest[colon.upperBound...] }
                return String(rest)
            }
            return nil
        }
    }
}

/// Whether a statement could write: its first keyword (after comments), EXPLAIN options,
/// data-modifying CTEs, row locks and the functions that change server state.
enum ReadOnlyCheck {
    static let reading: Set<String> = ["SELECT", "WITH", "SHOW", "SET", "RESET", "BEGIN", "START", "COMMIT", "ROLLBACK",
                                       "EXPLAIN", "PREPARE", "DEALLOCATE", "VALUES", "DISCARD"]
    static let writingFunctions = ["pg_stat_reset", "pg_stat_statements_reset", "pg_terminate_backend", "pg_cancel_backend",
                                   "nextval", "setval", "pg_reload_conf", "pg_switch_wal", "pg_advisory_lock",
                                   "pg_advisory_xact_lock", "lo_import", "lo_unlink", "pg_rotate_logfile"]

    /// The statement without its comment lines.
    static func body(_ sql: String) -> String {
        sql.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Why `sql` could write, or nil when it only reads. `set_config` is the function form of
    /// SET (session or transaction scope), which changes nothing beyond the session.
    static func violation(_ sql: String) -> String? {
        let body = body(sql)
        let first = body.prefix { $0.isLetter }.uppercased()
        guard reading.contains(first) else { return "\(first) is not a reading statement" }
        let upper = body.uppercased()
        if first == "SET", upper.hasPrefix("SET SESSION AUTHORIZATION") || upper.hasPrefix("SET ROLE") {
            return "changes the session's role"
        }
        if first == "EXPLAIN" {
            let rest = upper.dropFirst("EXPLAIN".count).trimmingCharacters(in: .whitespacesAndNewlines)
            let options = rest.hasPrefix("(") ? String(rest.prefix { $0 != ")" }) : String(rest.prefix { !$0.isWhitespace })
            if options.contains("ANALYZE") { return "EXPLAIN ANALYZE runs the statement" }
        }
        if first == "WITH" || first == "SELECT" {
            for keyword in ["INSERT ", "UPDATE ", "DELETE ", "MERGE "] where upper.contains(" " + keyword) || upper.contains("(" + keyword) {
                return "a data-modifying \(keyword.trimmingCharacters(in: .whitespaces))"
            }
            if upper.contains(" FOR UPDATE") || upper.contains(" FOR SHARE") || upper.contains(" FOR NO KEY") {
                return "locks rows"
            }
        }
        let lower = body.lowercased()
        if let function = writingFunctions.first(where: { lower.contains($0 + "(") }) { return "calls \(function)" }
        return nil
    }
}
