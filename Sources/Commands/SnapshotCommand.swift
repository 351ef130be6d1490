import ArgumentParser
import Connector
import Foundation
import Model

/// `pgadvisor snapshot`: collect everything into a JSON file for offline analysis.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Collect statistics, catalog and settings into a snapshot file.",
        discussion: """
            The snapshot holds everything the analysis needs (pg_settings, pg_stat_statements, \
            tables, indexes, column statistics, constraints, sequences, sessions, lock waits, \
            database and checkpoint counters), and for each source that could not be read, why. \
            Analyze it anywhere later with 'pgadvisor audit --from FILE'. The file contains query \
            texts and object names but no passwords or connection strings.

            Collection never waits on the application's locks: relations locked ACCESS EXCLUSIVE \
            by another session are not measured (their sizes are estimated and marked so).

            Examples:
              pgadvisor snapshot 'host=db1 dbname=app user=audit' --output app.json
              PGDATABASE=app pgadvisor snapshot --output -    (JSON to standard output)
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write the snapshot here ('-' for standard output). An existing file is replaced only once the snapshot is complete.",
        valueName: "file"))
    var output: String

    /// A path that cannot be written is refused before the collection, not after it.
    func validate() throws {
        guard output != "-" else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("--output \(output) is a directory: give a file path such as \(output)/snapshot.json")
        }
        let parent = URL(fileURLWithPath: output).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--output \(output): directory \(parent) does not exist: create it or choose another path")
        }
    }

    func run() throws {
        let started = Date()
        let db = try connection.connect()
        defer { db.close() }
        let snapshot = try Collector(connection: db).collect(generator: "pgadvisor \(PGAdvisor.version)")
        if output == "-" {
            try snapshot.writeJSON { SafeOutput.out($0) }
        } else {
            try OutputFile.write(to: output) { emit in try snapshot.writeJSON(emit) }
        }
        let seconds = Date().timeIntervalSince(started)
        let skipped = snapshot.sources.filter { $0.state != .collected }.map(\.name)
        var note = "snapshot of \(snapshot.server.database) (PostgreSQL \(snapshot.server.version)) "
            + (output == "-" ? "written to standard output" : "written to \(output)")
            + String(format: " in %.2f s: ", seconds)
            + "\(snapshot.tables.count) tables, \(snapshot.indexes.count) indexes, \(snapshot.statements.count) statements"
        if !skipped.isEmpty { note += "; not fully collected: " + skipped.joined(separator: ", ") }
        printNote(note)
    }
}
