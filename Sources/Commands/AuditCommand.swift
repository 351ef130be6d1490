import ArgumentParser
import Connector
import Core
import Foundation
import Model

/// `pgadvisor audit`: the periodic audit, from a live server or a snapshot file.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a database (live, or from a snapshot file) and print the report.",
        discussion: """
            Reports the server, where the space is (largest tables with their indexes), which
            statements take the execution time (pg_stat_statements, ranked by total time, with
            their share, calls, mean time and cache hit ratio), and every source that could not
            be read with what to do about it.

            Examples:
              pgadvisor audit 'host=db1 dbname=app user=audit'
              pgadvisor audit --from app.json --format markdown > audit.md
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup

    @Option(name: .long, help: ArgumentHelp(
        "Analyze this snapshot file (from 'pgadvisor snapshot') instead of connecting; '-' reads standard input.",
        valueName: "file"))
    var from: String?

    @Option(name: .long, help: "Output format: text, markdown or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("How many tables and statements to list.", valueName: "n"))
    var top: Int = 10

    func validate() throws {
        if from != nil && connection.conninfo != nil {
            throw ValidationError("give either a connection string or --from FILE, not both")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let snapshot: Snapshot
        if let from {
            snapshot = try SnapshotFile.read(from)
        } else {
            let db = try connection.connect()
            defer { db.close() }
            snapshot = try Collector(connection: db).collect(generator: "pgadvisor \(PGAdvisor.version)")
        }
        let summary = SnapshotSummary(snapshot, top: top)
        FileHandle.standardOutput.write(Data(try SummaryRenderer.render(summary, as: format).utf8))
    }
}

/// Reading snapshot files with errors a user can act on.
enum SnapshotFile {
    static func read(_ path: String) throws -> Snapshot {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("no such file: \(path): pass a file written by 'pgadvisor snapshot --output'")
            }
            guard !isDirectory.boolValue else {
                throw CLIError("\(path) is a directory: pass a snapshot file")
            }
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read \(path): check its permissions")
            }
            data = contents
        }
        do {
            return try Snapshot(jsonData: data)
        } catch let error as SnapshotFileError {
            throw CLIError("\(path == "-" ? "standard input" : path): \(error.description)")
        }
    }
}
