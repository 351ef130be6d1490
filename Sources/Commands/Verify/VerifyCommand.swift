import ArgumentParser
import Connector
import Foundation
import Model
import Planner

/// `pgadvisor verify JOURNAL`: after the workload has run a while, did the applied changes help?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check what an apply changed, after the workload has had time: helped, unused or regressed.",
        discussion: """
            Reads the journal of an apply and today's statistics (read-only). For each created index: its \
            scans since, and the mean time of the statements it was for, before and after, with a verdict \
            (helped, unchanged, regressed, unused). For each dropped index: the statements on its table that \
            got slower. For each setting: its effective value and whether it waits for a restart. A \
            pg_stat_statements reset in between is detected and said: the "after" figures then cover the \
            time since the reset. A regression comes with the rollback command that undoes its step.

            Example:
              pgadvisor verify ~/.local/state/pgadvisor/journal/app-20261204T020000Z.jsonl 'dbname=app'
            """
    )

    @Argument(help: ArgumentHelp("The journal 'pgadvisor apply' wrote.", valueName: "journal"))
    var journalPath: String

    @OptionGroup var connection: ConnectionOptionGroup

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    @Option(name: .customLong("min-change"), help: ArgumentHelp("Change of mean time that counts as helped or regressed (ratio).", valueName: "share"))
    var minChange: Double = 0.1

    func validate() throws {
        guard minChange > 0 && minChange < 1 else { throw ValidationError("--min-change takes a share between 0 and 1, such as 0.1") }
    }

    func run() throws {
        let format = try output.resolve(command: "verify", supported: [.text, .json])
        let entries = try Journal.read(journalPath)
        let db = try connection.connect()
        defer { db.close() }
        let report = try Verifier(db: db, minChange: minChange, journalPath: journalPath).verify(entries)
        try output.emit(format == .json ? try VerifyReport.json(report) : VerifyReport.text(report))
    }
}
