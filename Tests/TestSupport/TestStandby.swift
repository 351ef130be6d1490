import Foundation

/// A streaming replica of the test server, made by `scripts/postgres standby` (pg_basebackup -R
/// into the test cluster's directory, socket next to the primary's), for tests that need a standby.
public enum TestStandby {
    /// Starts the replica (a no-op when it runs already).
    public static func start() throws { try script(["standby", "start"]) }

    /// Stops the replica and deletes its data.
    public static func stop() throws { try script(["standby", "stop"]) }

    /// libpq URI of `database` on the replica, as user postgres over the Unix socket.
    public static func uri(_ database: String = "postgres") throws -> String {
        try script(["standby", "url", database]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs scripts/postgres on the test server's cluster directory; returns stdout.
    @discardableResult
    static func script(_ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["PGADVISOR_PG_DIR"] = TestServer.host
        environment["PGADVISOR_PG_BIN"] = PostgresTools.binDirectory
        let result = try ProcessRunner.run(PostgresTools.root.appendingPathComponent("scripts/postgres"), arguments,
                                           environment: environment, directory: PostgresTools.root)
        guard result.status == 0 else {
            throw PostgresTools.ToolError(message: "scripts/postgres \(arguments.joined(separator: " ")) exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}
