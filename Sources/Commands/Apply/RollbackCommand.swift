import ArgumentParser
import Connector
import Foundation
import Model
import Planner

/// `pgadvisor rollback JOURNAL`: undoes the steps an apply finished, newest first, with the
/// exact statements the journal recorded.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo what an apply did, from its journal: newest step first.",
        discussion: """
            Drops the indexes it created, re-creates the ones it dropped concurrently from their saved \
            definitions, puts settings back as postgresql.auto.conf had them (or RESETs them) and reloads, \
            restores storage parameters and per-role or per-database settings. Steps that cannot be undone \
            (VACUUM, ANALYZE, rewrites) are listed as such. Each undone step is added to the journal, so a \
            second rollback does nothing. The same guards as apply: the advisory lock, a primary, the \
            journal's server.

            Examples:
              pgadvisor rollback ~/.local/state/pgadvisor/journal/app-20261204T020000Z.jsonl 'dbname=app' --yes
              pgadvisor rollback JOURNAL --only 'create-index:shop.orders(customer_id)' --yes
            """
    )

    @Argument(help: ArgumentHelp("The journal 'pgadvisor apply' wrote.", valueName: "journal"))
    var journalPath: String

    @OptionGroup var connection: ConnectionOptionGroup

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Undo only these step ids (comma-separated or repeated).", valueName: "ids"))
    var only: [String] = []

    @OptionGroup(title: "Running each statement") var execution: StepExecutionOptions

    @Flag(name: .long, help: "Roll back without asking.")
    var yes = false

    func run() throws {
        let entries = try Journal.read(journalPath)
        let plan = entries[0].plan!
        let selected = StepSelectors.parse(only)
        let unknown = selected.filter { plan.step($0) == nil }
        if !unknown.isEmpty {
            throw CLIError("--only \(unknown.joined(separator: ", ")): no such step in the journal's plan", exitCode: ExitStatus.usage)
        }
        let undo = Self.undoable(entries, plan: plan).filter { selected.isEmpty || selected.contains($0.step.id) }
        try confirm(undo, database: plan.server.database)
        let session = try ApplySession(connection: connection)
        defer { session.close() }
        try ApplyGuards.requirePrimary(session.db)
        if let recorded = entries[0].server { try Self.requireSameServer(recorded, try ApplyGuards.server(session.db)) }
        try ApplyGuards.takeLock(session.db)
        session.journal = try Journal(path: journalPath)
        let runner = try execution.runner(session)
        var failed = false
        var lines: [String] = []
        for item in undo {
            let outcome = try undoStep(item, runner: runner, session: session)
            lines.append("  \(outcome) \(item.step.id)")
            if outcome.hasPrefix("failed") { failed = true; break }
        }
        let irreversible = Self.finished(entries, plan: plan).filter { $0.rollback.isEmpty }.map(\.step.id)
        if !irreversible.isEmpty { lines.append("Cannot be undone: " + irreversible.joined(separator: ", ")) }
        let report = ["Rolled back on database \(plan.server.database):"] + (undo.isEmpty ? ["  nothing left to undo"] : lines)
        SafeOutput.out(report.joined(separator: "\n") + "\n")
        if failed { throw CLIError("a rollback step failed (see above); fix the cause and run the rollback again") }
    }

    struct Item {
        var step: PlanStep
        var rollback: [String]
    }

    /// Steps the apply finished, in the order it finished them, with their recorded undo.
    static func finished(_ entries: [JournalEntry], plan: Plan) -> [Item] {
        entries.filter { $0.event == .stepEnd && $0.outcome == .done }.compactMap { entry in
            plan.step(entry.id ?? "").map { Item(step: $0, rollback: entry.rollback ?? $0.rollback) }
        }
    }

    /// Finished steps not rolled back yet, newest first.
    static func undoable(_ entries: [JournalEntry], plan: Plan) -> [Item] {
        let undone = Set(entries.filter { $0.event == .rollbackStep && $0.outcome == .rolledBack }.compactMap(\.id))
        return finished(entries, plan: plan).filter { !$0.rollback.isEmpty && !undone.contains($0.step.id) }.reversed()
    }

    private func undoStep(_ item: Item, runner: StepRunner, session: ApplySession) throws -> String {
        var entry = JournalEntry(.rollbackStep, id: item.step.id)
        entry.sql = item.rollback
        do {
            try runner.execute(item.rollback, for: item.step)
            if item.step.kind == "alter-system" { entry.readback = try SettingReadback.afterReload(item.step.object.setting ?? "", session.db) }
            entry.outcome = .rolledBack
        } catch {
            entry.outcome = .failed
            entry.message = StepRunner.describe(error)
            if item.step.kind == "drop-index", let index = item.step.object.index { session.cleanUpAfterFailure(index) }
        }
        try session.journal.write(entry)
        session.say("undo \(item.step.id): \(entry.outcome?.rawValue ?? "failed")" + (entry.message.map { ": \($0)" } ?? ""))
        return entry.outcome == .rolledBack ? "rolled back" : "failed (\(entry.message ?? ""))"
    }

    static func requireSameServer(_ recorded: JournalServer, _ current: JournalServer) throws {
        guard recorded.database == current.database,
              recorded.systemIdentifier == nil || current.systemIdentifier == nil || recorded.systemIdentifier == current.systemIdentifier
        else { throw CLIError("the journal records database \(recorded.database) of another server: connect to the server the apply ran on") }
    }

    private func confirm(_ items: [Item], database: String) throws {
        guard !yes, !items.isEmpty else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError("rollback changes the database and there is no terminal to ask on: pass --yes to confirm", exitCode: ExitStatus.usage)
        }
        print("Undo, newest first:\n" + items.map { "  " + $0.step.id }.joined(separator: "\n"))
        print("Roll back \(items.count) step\(items.count == 1 ? "" : "s") on database \(database)? [y/N] ", terminator: "")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else { throw CLIError("not rolled back: nothing was changed", exitCode: ExitStatus.ok) }
    }
}
