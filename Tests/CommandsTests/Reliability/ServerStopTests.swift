import Connector
import Foundation
import Testing
import TestSupport

/// The server stops (fast shutdown) while a snapshot or an audit is collecting: one clear
/// line, a non-zero exit, no report printed as if complete, and the snapshot file that was
/// there before left as it was (the new one is written whole or not at all).
///
/// To stop the server at a known point, the pgadvisor process is paused (SIGSTOP) as soon as
/// its session appears in pg_stat_activity, the server is stopped, and the process resumed:
/// its next statement meets the closed server. The suite has a cluster of its own (started by
/// scripts/postgres in a temporary directory), since stopping a shared one would fail the tests
/// running beside it; each test starts it afresh and deletes it after.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct ServerStopTests {
    static let database = "pgadvisor_stop"
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-stop-cluster-\(getpid())").path

    /// Runs scripts/postgres on this suite's cluster.
    @discardableResult
    static func cluster(_ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["PGADVISOR_PG_DIR"] = directory
        environment["PGADVISOR_PG_PORT"] = nil
        let r = try ProcessRunner.run(PostgresTools.root.appendingPathComponent("scripts/postgres"), arguments,
                                      environment: environment, directory: PostgresTools.root)
        guard r.status == 0 else { throw PostgresTools.ToolError(message: "scripts/postgres \(arguments): \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the cluster and deletes it, with the lock file scripts/postgres keeps beside it.
    static func remove() {
        _ = try? cluster(["stop"])
        try? FileManager.default.removeItem(atPath: directory + ".lock")
    }

    static var port: String { (try? String(contentsOfFile: directory + "/port", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
    static func uri(_ database: String = "postgres") -> String { "postgresql:///\(database)?host=\(directory)&port=\(port)&user=postgres" }
    static func admin(_ database: String = "postgres") throws -> Connection {
        try Connection.open(ConnectionOptions(conninfo: "host=\(directory) port=\(port) user=postgres dbname=\(database)",
                                              statementTimeoutMs: 60_000, lockTimeoutMs: 10_000, readOnly: false))
    }

    /// Runs `pg_ctl` on this suite's cluster as the server's OS user.
    static func pgctl(_ arguments: [String]) throws {
        let pgctl = "/usr/lib/postgresql/15/bin/pg_ctl"
        let data = directory + "/data"
        let (program, args) = getuid() == 0
            ? ("/usr/sbin/runuser", ["-u", "postgres", "--", pgctl, "-D", data] + arguments)
            : (pgctl, ["-D", data] + arguments)
        let r = try ProcessRunner.run(URL(fileURLWithPath: program), args, directory: URL(fileURLWithPath: "/"))
        #expect(r.status == 0, "pg_ctl \(arguments): \(r.stderr)")
    }

    /// Starts `arguments`, pauses the process once its session is connected, stops the server,
    /// resumes the process and returns what it printed; the server is started again after.
    static func stopDuring(_ arguments: [String]) throws -> CLIResult? {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError, process.standardInput) = (out, err, FileHandle.nullDevice)
        let watcher = try admin()
        try process.run()
        var paused = false
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline {
            let seen = try watcher.query(
                // Past its connection's startup: it has sent a statement.
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() "
                    + "AND application_name = 'pgadvisor' AND query_start IS NOT NULL", [database])
            if try seen.first?["n"].int() ?? 0 > 0 {
                kill(process.processIdentifier, SIGSTOP)
                paused = true
                break
            }
        }
        watcher.close()
        if paused {
            try pgctl(["-m", "fast", "-w", "-t", "60", "stop"])
            kill(process.processIdentifier, SIGCONT)
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        // A run that ended before its session was seen proves nothing: the caller tries again.
        guard paused else { return nil }
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func stopDuringRetrying(_ arguments: [String]) throws -> CLIResult {
        for _ in 1...3 {
            if let result = try stopDuring(arguments) { return result }
        }
        throw PostgresTools.ToolError(message: "pgadvisor finished before its session could be paused, three times")
    }

    static func prepare() throws {
        try cluster(["start"])
        let db = try admin()
        defer { db.close() }
        try db.query("DROP DATABASE IF EXISTS \(database)")
        try db.query("CREATE DATABASE \(database)")
        let target = try admin(database)
        defer { target.close() }
        // Enough tables that the collection lasts a while after the session appears.
        try target.query("DO $$ BEGIN FOR i IN 1..300 LOOP EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text)', i); END LOOP; END $$")
    }

    static func expectCleanFailure(_ r: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "printed \(r.stdout.prefix(300))", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("pgadvisor: error: "), "\(r.stderr)", sourceLocation: sourceLocation)
        let said = r.stderr.lowercased()
        #expect(said.contains("terminating connection due to administrator command") || said.contains("server closed the connection")
                    || said.contains("shutting down"), "\(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func snapshotKeepsThePreviousFileWhenTheServerStops() throws {
        try Self.prepare()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-stop-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("previous snapshot\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { Self.remove() }
        let r = try Self.stopDuringRetrying(["snapshot", Self.uri(Self.database), "--output", path])
        Self.expectCleanFailure(r)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous snapshot\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.contains("pgadvisor-stop-\(getpid())") && $0 != "pgadvisor-stop-\(getpid()).json" }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func auditPrintsNoReportWhenTheServerStops() throws {
        try Self.prepare()
        defer { Self.remove() }
        let r = try Self.stopDuringRetrying(["audit", Self.uri(Self.database)])
        Self.expectCleanFailure(r)
    }
}
