import ArgumentParser
import Connector
import Core
import Foundation
import Model

/// `pgadvisor audit`: the periodic audit, from a live server or a snapshot file.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a database (live, or from a snapshot file): ranked findings with the numbers and the fix.",
        discussion: """
            Runs every audit rule ('pgadvisor rules' lists them) and prints the findings ranked by \
            severity and then by what they cost (share of execution time, wasted bytes, headroom \
            left), each with its evidence and the SQL that fixes it. Rules that cannot judge this \
            snapshot (a source missing, statistics too young) are listed with the reason. The \
            report ends with an overview: sizes and the statements that take the time.

            Settings come from ./pgadvisor.toml when there is one, or from --config FILE: rule \
            settings, [[suppress]] entries (findings accepted, with a reason and an end date), the \
            machine's facts ([host]), the default format and the fleet's [[targets]].

            --save DIR keeps each run (snapshot.json and audit.json) in DIR/<UTC time>/, and \
            --keep N removes the oldest beyond N. --targets FILE (one connection string or \
            service name a line, or a .toml file of [[targets]]) or --fleet (the configuration \
            file's [[targets]]) audits many databases, --jobs at a time, and prints one summary \
            table; with --save each target's runs go in DIR/<target>/<UTC time>/.

            Exit status: 0 when done (whatever was found), 2 with --fail-on when a finding at or \
            above that severity exists (suppressed findings aside), 1 on errors (for a fleet: \
            any target that could not be audited), 64 on a wrong command line or configuration.

            Examples:
              pgadvisor audit 'host=db1 dbname=app user=audit'
              pgadvisor audit --from app.json --format markdown > audit.md
              pgadvisor audit --fail-on critical --format json > audit.json
              pgadvisor audit --set unused-index.min-stats-age=30d --config pgadvisor.toml
              pgadvisor audit 'dbname=app' --save /var/lib/pgadvisor/runs --keep 30
              pgadvisor audit --targets fleet.txt --jobs 4 --save runs --fail-on critical
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup

    @Option(name: .long, help: ArgumentHelp(
        "Analyze this snapshot file (from 'pgadvisor snapshot') instead of connecting; '-' reads standard input.",
        valueName: "file"))
    var from: String?

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit with status 2 when a finding of this severity or higher exists: info, warning or critical.",
        valueName: "severity"))
    var failOn: Severity?

    @Flag(name: .long, help: "Measure table bloat with pgstattuple_approx (needs the pgstattuple extension) instead of estimating it; reads the largest tables' pages.")
    var exact = false

    @OptionGroup var rules: AuditSettingsGroup

    @OptionGroup(title: "Machine (for memory-settings and memory-overcommit)") var host: HostOptionGroup

    @Option(name: .long, help: ArgumentHelp("How many tables and statements the overview lists.", valueName: "n"))
    var top: Int = 5

    @OptionGroup(title: "Saved runs and fleets") var runs: AuditRunOptions

    func validate() throws {
        if from != nil && connection.conninfo != nil {
            throw ValidationError("give either a connection string or --from FILE, not both")
        }
        if from != nil && exact {
            throw ValidationError("--exact measures a live server: it cannot be used with --from")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        try runs.validate(conninfo: connection.conninfo, from: from)
    }

    func run() throws {
        let started = Date()
        let settings = try rules.settings()
        let format = try output.resolve(command: "audit", supported: AuditRenderer.formats, fallback: settings.file?.format ?? .text)
        if runs.isFleet {
            return try runFleet(settings: settings, format: format, started: started)
        }
        let machine = (settings.file?.host ?? HostFacts()).overridden(by: try host.facts())
        let pipeline = AuditPipeline(connection: connection, from: from, exact: exact, configuration: settings.configuration,
                                     host: machine, suppressions: settings.file?.suppressions ?? [])
        let run = try pipeline.run()
        let result = run.result
        let report = AuditReport(snapshot: run.snapshot, result: result, top: top, configFile: settings.file?.path)
        if let directory = runs.save {
            let (folder, removed) = try RunArchive(directory: directory).saveAudit(report, at: started, keep: runs.keep)
            printNote("run saved in \(folder)" + (removed.isEmpty ? "" : "; \(removed.count) older run\(removed.count == 1 ? "" : "s") removed"))
        }
        let colour = output.output == nil && TextStyle.forStandardOutput().enabled
        try output.emit(try AuditRenderer.render(report, as: format, colour: colour))
        if let failOn, let highest = result.highestSeverity, highest >= failOn {
            throw FindingsExit(severity: highest)
        }
    }
}

/// Ends the run with exit status 2: findings at or above `--fail-on` (nothing more to print).
struct FindingsExit: Error {
    var severity: Severity
}

extension Severity: ExpressibleByArgument {}

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
