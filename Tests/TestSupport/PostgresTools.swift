import Foundation

/// PostgreSQL's client programs (psql, pgbench) from the server build the tests run against.
public enum PostgresTools {
    /// `PGADVISOR_PG_BIN` (set by scripts/test), else Debian's PostgreSQL 15.
    public static var binDirectory: String {
        ProcessInfo.processInfo.environment["PGADVISOR_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
    }

    /// The repository root, found from this file's path.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs psql on `database` with `arguments` (stops at the first error); returns stdout.
    @discardableResult
    public static func psql(_ database: String, _ arguments: [String]) throws -> String {
        try run("psql", [TestServer.uri(database), "-X", "-q", "-v", "ON_ERROR_STOP=1"] + arguments)
    }

    /// Runs pgbench on `database` with `arguments`; returns stdout.
    @discardableResult
    public static func pgbench(_ database: String, _ arguments: [String]) throws -> String {
        try run("pgbench", arguments + [TestServer.uri(database)])
    }

    /// Starts psql in the background (for sessions that must wait on a lock).
    public static func startPsql(_ database: String, sql: String, applicationName: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory + "/psql")
        process.arguments = [TestServer.uri(database), "-X", "-q", "-c", sql]
        var environment = ProcessInfo.processInfo.environment
        environment["PGAPPNAME"] = applicationName
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: binDirectory + "/" + program), arguments, directory: root)
        guard result.status == 0 else {
            throw ToolError(message: "\(program) exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    public struct ToolError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        public init(message: String) {
            self.message = message
        }
    }
}
