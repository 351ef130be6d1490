import Foundation
import Planner

/// What an apply did, printed at the end: per step its outcome, then totals.
enum ApplyReport {
    static func render(_ summary: Applier.Summary, plan: Plan, journal: String) -> String {
        var lines = ["Applied to database \(plan.server.database) in \(String(format: "%.1f", summary.seconds)) s:"]
        for (step, outcome, message) in summary.outcomes {
            lines.append("  \(outcome.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(step.id)" + (message.map { " — \($0)" } ?? ""))
        }
        lines.append("\(summary.count(.done)) done, \(summary.count(.alreadyDone)) already done, \(summary.count(.changed)) changed since the plan, "
            + "\(summary.count(.unauthorized)) not authorized, \(summary.count(.failed)) failed.")
        let restart = summary.outcomes.filter { $0.1 == .done && $0.0.effect == .restart }.map { $0.0.object.setting ?? $0.0.id }
        if !restart.isEmpty { lines.append("Waiting for a restart: \(restart.joined(separator: ", ")).") }
        lines.append("Journal: \(journal) (pgadvisor rollback / verify read it).")
        return lines.joined(separator: "\n") + "\n"
    }
}
