import Foundation
import Planner

/// The plan for a person to read, as text or Markdown: a summary, then each step with what it
/// resolves, why, its lock, duration, SQL and rollback, then what was not planned.
enum PlanRenderer {
    static func render(_ plan: Plan, markdown: Bool) -> String {
        var out = summary(plan, markdown: markdown)
        for (i, step) in plan.steps.enumerated() {
            out += [""] + stepLines(step, number: i + 1, plan: plan, markdown: markdown)
        }
        if !plan.withheld.isEmpty {
            out += ["", markdown ? "## Not planned" : "Not planned, although a finding asks for it:"]
            out += plan.withheld.map { (markdown ? "- `\($0.id)`: " : "  \($0.id): ") + $0.reason }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func summary(_ plan: Plan, markdown: Bool) -> [String] {
        let runs = plan.runnableSteps
        let above = plan.steps.filter { $0.risk != .manual && !$0.risk.runs(within: plan.risk) }
        let manual = plan.steps.filter { $0.risk == .manual }
        let seconds = runs.reduce(0) { $0 + $1.estimate.seconds }
        let title = "Plan for database \(plan.server.database) (PostgreSQL \(plan.server.version)), risk level \(plan.risk.rawValue)"
        var lines = [markdown ? "# " + title : title]
        if markdown { lines.append("") }
        lines.append("\(runs.count) step\(runs.count == 1 ? "" : "s") to run (estimated \(Int(seconds.rounded())) s), "
            + "\(above.count) above the risk level, \(manual.count) manual, \(plan.withheld.count) not planned.")
        lines.append("State of \(plan.createdAt.iso8601); \(plan.generator).")
        if plan.steps.isEmpty { lines.append("Nothing to do.") }
        return lines
    }

    static func stepLines(_ step: PlanStep, number: Int, plan: Plan, markdown: Bool) -> [String] {
        let status = step.risk == .manual ? "manual" : step.risk.runs(within: plan.risk) ? step.risk.rawValue
            : "\(step.risk.rawValue), not run at \(plan.risk.rawValue)"
        let indent = markdown ? "- " : "    "
        let timing = step.risk == .manual ? "" : ", \(step.estimate.display)"
        var lines = [markdown ? "## \(number). `\(step.id)`" : "[\(number)] \(step.id)  (\(status)\(timing))"]
        if markdown { lines += ["", "\(step.summary) — \(status)\(timing)", ""] } else { lines.append(indent + step.summary) }
        if !step.resolves.isEmpty { lines.append(indent + "resolves: " + step.resolves.map(\.display).joined(separator: "; ")) }
        if !step.reason.isEmpty { lines.append(indent + "why: " + step.reason) }
        if !step.evidence.isEmpty { lines.append(indent + "evidence: " + step.evidence.joined(separator: ", ")) }
        guard step.risk != .manual else { return lines }
        lines.append(indent + "lock: \(step.lock)")
        lines.append(indent + "estimate: \(step.estimate.display) (\(step.estimate.basis))")
        lines.append(indent + "runs only if: \(step.precondition.description)")
        if !step.afterwards.isEmpty { lines.append(indent + "afterwards: \(step.afterwards)") }
        lines += code("SQL", step.sql, markdown: markdown, indent: indent)
        lines += step.rollback.isEmpty ? [indent + "rollback: none (cannot be undone)"] : code("rollback", step.rollback, markdown: markdown, indent: indent)
        return lines
    }

    static func code(_ label: String, _ statements: [String], markdown: Bool, indent: String) -> [String] {
        if markdown { return ["", "\(label):", "", "```sql"] + statements + ["```"] }
        return statements.enumerated().map { i, sql in indent + (i == 0 ? "\(label): " : String(repeating: " ", count: label.count + 2)) + sql }
    }
}
