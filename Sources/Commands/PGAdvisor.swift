import ArgumentParser
import Connector
import Foundation
import Model

/// The `pgadvisor` command.
public struct PGAdvisor: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "pgadvisor",
        abstract: "A PostgreSQL tuning advisor: what is wrong, what it costs, and the script that fixes it.",
        discussion: """
            CONNECTING
              Every command that talks to a server takes what psql takes: a
              conninfo string ('host=db1 port=5432 dbname=app user=audit'), a URI
              (postgresql://audit@db1:5432/app?sslmode=require), or nothing, in
              which case the PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD,
              PGSERVICE ... variables, ~/.pgpass and pg_service.conf apply. Prefer
              ~/.pgpass or PGPASSWORD to a password in the URI: pgadvisor never
              prints one, but your shell history keeps it.

            SAFETY
              Reading sessions are read-only (default_transaction_read_only = on)
              and run every statement with statement_timeout (30s) and
              lock_timeout (2s): an audit neither changes data nor waits behind
              the application's locks. Only 'apply' and 'rollback' write, in a
              session of their own, after --yes, under an advisory lock, with a
              journal.

            FIXING
              plan (a psql script, its rollback, or JSON), apply, rollback and
              verify: see 'pgadvisor plan --help' and 'pgadvisor apply --help'.

            EXIT STATUS
              0 success, 1 error (connection, server, file, a failed apply
              step), 2 findings at or above 'audit --fail-on' (or verdicts at or
              above 'review --fail-on', or a 'diff --fail-on' condition), 64
              wrong command line.
            """,
        version: "pgadvisor \(version)",
        subcommands: [AuditCommand.self, PlanCommand.self, ApplyCommand.self, RollbackCommand.self, VerifyCommand.self, DiffCommand.self, IndexesCommand.self, ReviewCommand.self, TuneCommand.self, SnapshotCommand.self, DoctorCommand.self, RulesCommand.self, ExplainCommand.self]
    )

    public init() {}

    /// Parses the command line and runs the command. Errors become one line on stderr and an
    /// exit code; help and version go to stdout.
    public static func main() {
        // A closed pipe (`… | head`, a logger gone) must not kill a run (an apply mid-step):
        // writes to it fail instead (SafeOutput), and the journal keeps the truth.
        signal(SIGPIPE, SIG_IGN)
        let code = run(arguments: Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(code)
    }

    static func run(arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.ok
        } catch is FindingsExit {
            return ExitStatus.findings
        } catch is DiffExit {
            return ExitStatus.findings
        } catch let error as CLIError {
            // A declined confirmation ends the run without an error.
            if error.exitCode == ExitStatus.ok { printNote(error.message) } else { printError(error.message) }
            return error.exitCode
        } catch let error as ConnectorError {
            printError(error.description)
            return ExitStatus.error
        } catch let error as SnapshotFileError {
            printError(error.description)
            return ExitStatus.error
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == ExitStatus.ok {
                print(message)
                return ExitStatus.ok
            }
            printError(usageLine(from: message, arguments: arguments))
            return code == ExitStatus.error ? ExitStatus.error : ExitStatus.usage
        }
    }

    /// ArgumentParser's message is several lines (error, usage, hint); keep the error and point
    /// at the right --help.
    static func usageLine(from message: String, arguments: [String]) -> String {
        let lines = message.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        var first = lines.first { !$0.isEmpty } ?? "invalid command line"
        if first.hasPrefix("Error: ") { first.removeFirst("Error: ".count) }
        // A long list of allowed values comes as "- value" lines: keep them on the one line.
        let choices = lines.filter { $0.hasPrefix("- ") }.map { "'" + $0.dropFirst(2) + "'" }
        if !choices.isEmpty, first.hasSuffix(":") {
            first = String(first.dropLast()) + " " + choices.joined(separator: ", ") + "."
        }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        let sub = arguments.first { names.contains($0) }
        let help = sub.map { "pgadvisor \($0) --help" } ?? "pgadvisor --help"
        return "\(first) (see '\(help)')"
    }
}

func printError(_ message: String) {
    SafeOutput.err("pgadvisor: error: \(message)\n")
}

func printNote(_ message: String) {
    SafeOutput.err("pgadvisor: \(message)\n")
}
