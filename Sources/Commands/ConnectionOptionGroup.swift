import Foundation
import ArgumentParser
import Connector

/// Options shared by every command that connects to a server.
struct ConnectionOptionGroup: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Connection string or URI, as psql takes it; omitted: PG* variables, ~/.pgpass and pg_service.conf.",
        valueName: "conninfo"))
    var conninfo: String?

    @Option(name: .long, help: ArgumentHelp(
        "Cancel any catalog query running longer than this (ms, s, min; 0 = no limit).", valueName: "duration"))
    var statementTimeout: String = "30s"

    @Option(name: .long, help: ArgumentHelp(
        "Give up on a lock held by another session after this long (ms, s, min; 0 = wait forever).",
        valueName: "duration"))
    var lockTimeout: String = "2s"

    @Option(name: .long, help: ArgumentHelp("Give up connecting after this many seconds.", valueName: "seconds"))
    var connectTimeout: String = "10"

    @Option(name: .long, help: ArgumentHelp(
        "application_name shown in pg_stat_activity (default: pgadvisor, unless the connection string sets one).",
        valueName: "name"))
    var applicationName: String?

    func validate() throws {
        _ = try Self.milliseconds(statementTimeout, option: "--statement-timeout")
        _ = try Self.milliseconds(lockTimeout, option: "--lock-timeout")
        _ = try connectTimeoutSeconds()
    }

    /// --connect-timeout as whole seconds, at least 1.
    func connectTimeoutSeconds() throws -> Int {
        guard let seconds = Int(connectTimeout.trimmingCharacters(in: .whitespaces)), seconds >= 1 else {
            throw ValidationError("--connect-timeout takes a whole number of seconds, at least 1, not '\(connectTimeout)'")
        }
        return seconds
    }

    func connectionOptions() throws -> ConnectionOptions {
        ConnectionOptions(
            conninfo: conninfo,
            statementTimeoutMs: try Self.milliseconds(statementTimeout, option: "--statement-timeout"),
            lockTimeoutMs: try Self.milliseconds(lockTimeout, option: "--lock-timeout"),
            applicationName: applicationName, connectTimeoutSeconds: try connectTimeoutSeconds(), readOnly: true)
    }

    func connect() throws -> Connection {
        try Connection.open(try connectionOptions())
    }

    /// PostgreSQL's duration syntax: a number with `ms`, `s`, `min`, `h` or `d`; a bare number is ms.
    static func milliseconds(_ text: String, option: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let factors: [String: Int] = ["": 1, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000]
        guard !digits.isEmpty, let value = Int(digits), let factor = factors[unit],
              value <= Int(Int32.max) / factor else {
            throw ValidationError("\(option) takes a duration such as 500ms, 30s or 2min, not '\(text)'")
        }
        return value * factor
    }
}
