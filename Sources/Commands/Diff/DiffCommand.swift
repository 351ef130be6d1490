import ArgumentParser
import Connector
import Core
import Foundation
import Model

/// `pgadvisor diff`: two snapshots (or saved runs) of one database compared.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two snapshots of a database: new and resolved findings, regressed and new statements, index usage, growth, settings.",
        discussion: """
            OLD and NEW are snapshot files ('pgadvisor snapshot --output') or run folders \
            ('pgadvisor audit --save DIR' writes DIR/<timestamp>/snapshot.json); --latest DIR \
            compares the last two runs in DIR. Both snapshots are audited with the same rule \
            settings (./pgadvisor.toml or --config, --set, the machine flags), suppressions \
            included. Statements are compared over the window \
            between the snapshots (NEW's counters minus OLD's) against OLD's mean; when the \
            statistics were reset in between, NEW's figures since the reset are used and the report \
            says so. Snapshots of different databases or clusters, or in the wrong order, are refused.

            Exit status: 0 when done, 2 with --fail-on when a condition holds, 1 on errors, 64 on \
            a wrong command line.

            Examples:
              pgadvisor diff monday.json tuesday.json
              pgadvisor diff --latest /var/lib/pgadvisor/runs --format markdown
              pgadvisor diff --latest runs/db1 --fail-on regression --fail-on warning
            """
    )

    @Argument(help: ArgumentHelp("The older snapshot file or run folder.", valueName: "old"))
    var old: String?

    @Argument(help: ArgumentHelp("The newer snapshot file or run folder.", valueName: "new"))
    var new: String?

    @Option(name: .long, help: ArgumentHelp("Compare the last two run folders of this folder (from 'audit --save').", valueName: "dir"))
    var latest: String?

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit with status 2 when a statement regressed (regression), or a new finding (or one whose severity rose) is at this severity or higher (info, warning, critical). Repeatable.",
        valueName: "condition"))
    var failOn: [DiffFailure] = []

    @Option(name: .long, help: ArgumentHelp(
        "How much slower a statement's mean must be to count as regressed: 0.5 or 50% is +50 %.", valueName: "share"))
    var regression: String = "0.5"

    @Option(name: .customLong("min-delta"), help: ArgumentHelp(
        "…and by at least this much per call (ms, s).", valueName: "duration"))
    var minDelta: String = "1ms"

    @Option(name: .customLong("min-calls"), help: ArgumentHelp(
        "Calls a statement needs in OLD and over the window to be compared.", valueName: "n"))
    var minCalls: Int = 10

    @Option(name: .long, help: ArgumentHelp("How many heavy statements and grown relations to list.", valueName: "n"))
    var top: Int = 10

    @Flag(name: .customLong("allow-other-server"), help: "Compare snapshots of different databases or clusters anyway (after an upgrade or a restore); counters are then taken as restarted.")
    var allowOtherServer = false

    @OptionGroup var rules: AuditSettingsGroup

    @OptionGroup(title: "Machine (for memory-settings and memory-overcommit)") var host: HostOptionGroup

    func validate() throws {
        if latest != nil && (old != nil || new != nil) {
            throw ValidationError("give either OLD and NEW or --latest DIR, not both")
        }
        if latest == nil && (old == nil || new == nil) {
            throw ValidationError(old == nil ? "give OLD and NEW (snapshot files or run folders), or --latest DIR"
                : "give NEW too: diff compares two snapshots (or use --latest DIR)")
        }
        _ = try options()
    }

    func run() throws {
        let settings = try rules.settings()
        let format = try output.resolve(command: "diff", supported: DiffRenderer.formats, fallback: settings.file?.format ?? .text)
        let machine = (settings.file?.host ?? HostFacts()).overridden(by: try host.facts())
        let (oldSource, newSource) = try latest.map(SavedRuns.latestPair) ?? (old ?? "", new ?? "")
        // Both sides audited alike, from their files: nothing connects.
        try machine.checkComplete()
        let job = AuditJob(options: ConnectionOptions(), exact: false, configuration: settings.configuration, host: machine,
                           suppressions: settings.file?.suppressions ?? [], today: .today())
        let audit = { (source: String) in
            job.audit(try SnapshotFile.read(try SavedRuns.snapshotPath(source)), indexAdvice: nil, systemIdentifier: nil)
        }
        let before = try audit(oldSource), after = try audit(newSource)
        try Self.check(SnapshotPair.mismatches(old: before.snapshot, new: after.snapshot), allowOtherServer: allowOtherServer)
        let diff = SnapshotDiff.compare(
            old: before.snapshot, new: after.snapshot, oldAudit: before.result, newAudit: after.result, options: try options())
        let colour = output.output == nil && TextStyle.forStandardOutput().enabled
        try output.emit(try DiffRenderer.render(DiffReport(diff: diff, oldSource: oldSource, newSource: newSource), as: format, colour: colour))
        if failOn.contains(where: { $0.isMet(by: diff) }) { throw DiffExit() }
    }

    /// Refuses a pair in the wrong order, or of another database or cluster unless allowed.
    static func check(_ mismatches: [SnapshotPair.Mismatch], allowOtherServer: Bool) throws {
        for mismatch in mismatches {
            switch mismatch {
            case .newIsOlder:
                throw CLIError("\(mismatch): pass the older snapshot first", exitCode: ExitStatus.usage)
            case .otherDatabase, .otherCluster:
                guard allowOtherServer else {
                    throw CLIError("\(mismatch): compare snapshots of one database, or add --allow-other-server (counters are then taken as restarted)")
                }
            }
        }
    }

    func options() throws -> DiffOptions {
        guard let share = Self.share(regression), share > 0 else {
            throw ValidationError("--regression takes a share such as 0.5 or 50%, not '\(regression)'")
        }
        guard minCalls >= 1 else { throw ValidationError("--min-calls must be at least 1") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        let floor = try ConnectionOptionGroup.milliseconds(minDelta, option: "--min-delta")
        return DiffOptions(regression: share, minDeltaMs: Double(floor), minCalls: Int64(minCalls), top: top)
    }

    /// `0.5` or `50%`.
    static func share(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { return Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } }
        return Double(t)
    }
}

/// Ends a diff with exit status 2: a --fail-on condition holds (the report is printed).
struct DiffExit: Error {}
