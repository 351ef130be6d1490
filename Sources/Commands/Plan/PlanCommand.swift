import ArgumentParser
import Foundation
import Planner

/// `pgadvisor plan`: the dry run. Audits the database (or a snapshot) and prints the plan
/// that fixes what it found, as a psql script, text, Markdown or JSON.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Turn the audit's findings into a fix plan: a psql script, its rollback, or JSON for 'apply --plan'.",
        discussion: """
            One step per change, merged across rules (an index both unused and duplicate is dropped once), \
            with stable ids (create-index:shop.orders(customer_id)), the findings each resolves, its SQL and \
            rollback, the lock it takes, an estimated duration and a precondition re-checked before it runs. \
            Drops never remove both copies of a duplicate, a cover another drop relies on, or the last index \
            of a foreign key, a constraint or the replica identity. Steps run in dependency order: invalid \
            leftovers dropped, indexes created, indexes dropped, storage parameters, VACUUM and ANALYZE, \
            blocking table changes, then settings.

            Risk levels: online (concurrent index builds and drops, VACUUM, ANALYZE, storage parameters, \
            reloadable and per-role settings), restart (postmaster settings: written now, effective after a \
            restart), blocking (rewrites and exclusive locks), manual (for a person). Steps above --risk are \
            written commented out. Nothing is changed: 'pgadvisor apply' runs a plan.

            Examples:
              pgadvisor plan 'dbname=app' --output plan.sql --rollback-output rollback.sql
              pgadvisor plan 'dbname=app' --format json --output plan.json
              pgadvisor plan --from app.json --only vacuum-overdue,analyze-overdue --format text
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup
    @OptionGroup var selection: PlanSelectionGroup

    @Option(name: .long, help: "Output format: sql (default), text, markdown or json; --output FILE.json or FILE.sql picks it.")
    var format: PlanFormat?

    @Option(name: .long, help: ArgumentHelp("Write the plan to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("rollback-output"), help: ArgumentHelp("Also write the rollback script to this file.", valueName: "file"))
    var rollbackOutput: String?

    func validate() throws {
        if selection.from != nil && connection.conninfo != nil {
            throw ValidationError("give either a connection string or --from FILE, not both")
        }
        try selection.validateSelection()
    }

    func run() throws {
        let (plan, _) = try selection.buildPlan(connection: connection, commandLine: selection.described)
        let chosen = format ?? output.flatMap(PlanFormat.forFile) ?? .sql
        let text = try Self.render(plan, as: chosen)
        if let output {
            try OutputFile.write(text, to: output)
            printNote("plan written to \(output) (\(plan.runnableSteps.count) of \(plan.steps.count) steps run at risk level \(plan.risk.rawValue))")
        } else {
            SafeOutput.out(text)
        }
        if let rollbackOutput {
            try OutputFile.write(PlanScript.renderRollback(plan), to: rollbackOutput)
        }
    }

    static func render(_ plan: Plan, as format: PlanFormat) throws -> String {
        switch format {
        case .sql: PlanScript.render(plan)
        case .text: PlanRenderer.render(plan, markdown: false)
        case .markdown: PlanRenderer.render(plan, markdown: true)
        case .json: String(decoding: try plan.jsonData(), as: UTF8.self) + "\n"
        }
    }
}
