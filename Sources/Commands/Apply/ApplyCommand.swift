import ArgumentParser
import Connector
import Foundation
import Model
import Planner

/// `pgadvisor apply`: runs a plan on the database, safely, with a journal.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a fix plan: guarded, one step at a time, journaled for resume, rollback and verify.",
        discussion: """
            Runs the plan from --plan (a 'pgadvisor plan --format json' file, applied exactly as shown) or \
            builds it now from the same options as 'plan'. Only steps at or below --risk run (default: the \
            plan's level, online). Without --yes it shows the plan and asks on a terminal; with no terminal \
            it refuses.

            Guards, before anything changes: its own writing session (application_name pgadvisor-apply); \
            the advisory lock 31640612006048626 on the database (a second apply refuses and names the \
            holder's pid); refused on a standby; refused for another database or cluster than the plan's; \
            every step's privileges checked (table ownership for index DDL, superuser or ALTER SYSTEM ON \
            PARAMETER for settings) — missing ones refuse the apply unless --skip-unauthorized.

            Each step: its precondition is re-checked (already applied: skipped as done; changed since the \
            plan: skipped); statements run one at a time outside a transaction block with lock_timeout \
            (--step-lock-timeout, 5s) and bounded retries with backoff, and a statement_timeout sized to the \
            object; a failed CREATE INDEX CONCURRENTLY's INVALID index is dropped. ALTER SYSTEM is followed by \
            a reload and a read-back of pg_settings and pg_file_settings. The journal (JSON lines, fsynced \
            before and after each step) defaults to ~/.local/state/pgadvisor/journal/.

            Exit status: 0 every step done, already done or changed since the plan; 1 a step failed, a guard \
            refused, or an error; 64 wrong command line or no --yes without a terminal.

            Examples:
              pgadvisor plan 'dbname=app' --format json --output plan.json && pgadvisor apply 'dbname=app' --plan plan.json --yes
              pgadvisor apply 'dbname=app' --only vacuum-overdue,analyze-overdue --risk online --yes
              pgadvisor apply 'dbname=app' --resume ~/.local/state/pgadvisor/journal/app-20261204T020000Z.jsonl --yes
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup
    @OptionGroup var selection: PlanSelectionGroup

    @Option(name: .long, help: ArgumentHelp("Apply this plan file (from 'pgadvisor plan --format json') exactly.", valueName: "file"))
    var plan: String?

    @Option(name: .long, help: ArgumentHelp("Write the journal here (default: a new file under ~/.local/state/pgadvisor/journal/).", valueName: "file"))
    var journal: String?

    @Option(name: .long, help: ArgumentHelp("Continue the apply this journal recorded: finished steps are not repeated.", valueName: "journal"))
    var resume: String?

    @Flag(name: .customLong("continue-on-error"), help: "Go on with the next step when one fails (the exit status is still 1).")
    var continueOnError = false

    @Flag(name: .customLong("skip-unauthorized"), help: "Skip the steps the role may not run instead of refusing the apply.")
    var skipUnauthorized = false

    @OptionGroup(title: "Running each statement") var execution: StepExecutionOptions

    @Flag(name: .long, help: "Apply without asking.")
    var yes = false

    func validate() throws {
        if selection.from != nil { throw ValidationError("apply works on a live server: make a plan from the snapshot with 'pgadvisor plan --from', then apply it with --plan") }
        if plan != nil && resume != nil { throw ValidationError("give either --plan or --resume, not both") }
        if resume != nil && (!selection.only.isEmpty || selection.risk != nil) {
            throw ValidationError("--resume continues the recorded plan as it was: it takes no --only or --risk")
        }
        if resume != nil && journal != nil { throw ValidationError("--resume appends to the journal it continues: drop --journal") }
        try selection.validateSelection()
    }

    func run() throws {
        let (plan, finished, interrupted, journalPath) = try loadPlan()
        let steps = plan.runnableSteps
        try confirm(plan, steps: steps)
        let session = try ApplySession(connection: connection)
        defer { session.close() }
        let (server, unauthorized) = try guardSession(session, plan: plan, steps: steps)
        let journal = try Journal(path: journalPath ?? Journal.defaultPath(database: plan.server.database))
        session.journal = journal
        var begin = JournalEntry(.apply)
        begin.plan = plan
        begin.server = server
        try journal.write(begin)
        session.say("pgadvisor: applying \(steps.count) step\(steps.count == 1 ? "" : "s") to \(plan.server.database); journal \(journal.path)")
        let runner = try execution.runner(session)
        let summary = try Applier(session: session, runner: runner, continueOnError: continueOnError)
            .run(steps, finished: finished, interrupted: interrupted, unauthorized: unauthorized)
        var finish = JournalEntry(.finish)
        finish.message = summary.failed ? "failed" : "complete"
        try journal.write(finish)
        SafeOutput.out(ApplyReport.render(summary, plan: plan, journal: journal.path))
        if summary.failed { throw CLIError("a step failed (see above and the journal \(journal.path)); fix the cause and run 'pgadvisor apply --resume \(journal.path) --yes'") }
    }

    /// The plan, the steps an earlier run finished, the steps it started and never ended, and
    /// the journal to write.
    private func loadPlan() throws -> (Plan, Set<String>, [String: JournalEntry], String?) {
        if let resume {
            let entries = try Journal.read(resume)
            guard let recorded = entries.first?.plan else { throw CLIError("\(resume): no plan recorded") }
            return (recorded, Self.finished(entries), Self.interrupted(entries), resume)
        }
        var loaded: Plan
        if let path = plan {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read the plan \(path): write one with 'pgadvisor plan --format json --output \(path)'")
            }
            do { loaded = try Plan(jsonData: data) } catch { throw CLIError("\(path): \(error.description)") }
            if let only = selection.selectors {
                try PlanSelectionGroup.checkSelectors(only, plan: loaded, requireSteps: true)
                loaded.steps = loaded.steps.filter { PlanBuilder.matches($0, only) }
            }
        } else {
            loaded = try selection.buildPlan(connection: connection, commandLine: selection.described).0
        }
        if let risk = selection.risk { loaded.risk = risk }
        return (loaded, [], [:], journal)
    }

    /// Steps an earlier run ended for good: not failed, and not skipped for want of a
    /// privilege (a resume by a role that has it runs them).
    static func finished(_ entries: [JournalEntry]) -> Set<String> {
        Set(entries.filter { $0.event == .stepEnd && ![.failed, .unauthorized].contains($0.outcome) }.compactMap(\.id))
    }

    /// The last step-start of each step that has no step-end after it: the run was killed there.
    static func interrupted(_ entries: [JournalEntry]) -> [String: JournalEntry] {
        var open: [String: JournalEntry] = [:]
        for entry in entries {
            guard let id = entry.id else { continue }
            if entry.event == .stepStart { open[id] = entry }
            if entry.event == .stepEnd { open[id] = nil }
        }
        return open
    }

    /// `--yes`, or a yes typed on the terminal.
    private func confirm(_ plan: Plan, steps: [PlanStep]) throws {
        guard !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError("apply changes the database and there is no terminal to ask on: pass --yes to confirm", exitCode: ExitStatus.usage)
        }
        SafeOutput.out(PlanRenderer.render(plan, markdown: false))
        SafeOutput.out("\nApply \(steps.count) step\(steps.count == 1 ? "" : "s") to database \(plan.server.database)? [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else { throw CLIError("not applied: nothing was changed", exitCode: ExitStatus.ok) }
    }

    /// Standby, server identity, the advisory lock and privileges; returns the server (for the
    /// journal) and the steps to skip.
    private func guardSession(_ session: ApplySession, plan: Plan, steps: [PlanStep]) throws -> (JournalServer, [String: String]) {
        try ApplyGuards.requirePrimary(session.db)
        let server = try ApplyGuards.server(session.db)
        try ApplyGuards.requireSameServer(plan, server)
        try ApplyGuards.takeLock(session.db)
        let refused = try ApplyGuards.unauthorized(steps, session.db)
        if !refused.isEmpty && !skipUnauthorized {
            let list = refused.map { "\($0.0.id) (needs \($0.1))" }.joined(separator: "; ")
            throw CLIError("the role may not run \(refused.count) step\(refused.count == 1 ? "" : "s"): \(list): connect as the tables' owner or a superuser, or pass --skip-unauthorized")
        }
        return (server, Dictionary(refused.map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a }))
    }
}
