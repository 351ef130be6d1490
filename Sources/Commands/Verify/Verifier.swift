import Connector
import Core
import Foundation
import Model
import Planner

/// Compares an apply's "before" figures with the statistics now.
struct Verifier {
    var db: Connection
    var minChange: Double
    var journalPath: String

    struct Report: Codable {
        /// Raised when a field changes meaning or goes away (reports/schema/verify.schema.json).
        var schemaVersion = 1
        var database: String
        var appliedAt: Timestamp
        var statisticsReset: Bool
        var notes: [String]
        var steps: [StepResult]
    }

    struct StepResult: Codable {
        var id: String
        var verdict: String
        var details: [String]
        var statements: [StatementResult]
        var rollback: String?
    }

    struct StatementResult: Codable {
        var queryId: Int64
        var text: String
        var meanBeforeMs: Double
        var meanAfterMs: Double?
        var callsSince: Int64
        var verdict: String
    }

    func verify(_ entries: [JournalEntry]) throws -> Report {
        let plan = entries[0].plan!
        let applied = entries[0].at
        try ApplyGuards.requireSameServer(plan, try ApplyGuards.server(db), subject: "the journal's apply ran on",
                                          remedy: "verify it on the server it changed")
        let resetNow = StepFigures.statementsReset(db)
        let ends = entries.filter { $0.event == .stepEnd && $0.outcome == .done }
        let resetBetween = ends.contains { CounterWindow.resetMoved(from: $0.before?.statementsReset, to: resetNow) }
        var notes: [String] = []
        let countersReset = try indexCountersReset(since: applied)
        if countersReset {
            notes.append("the table and index statistics were reset since the apply (pg_stat_reset): an index's scans count from the reset")
        }
        if resetBetween {
            notes.append("pg_stat_statements was reset since the apply: \"after\" figures cover the time since the reset")
        }
        let rolledBack = Set(entries.filter { $0.event == .rollbackStep && $0.outcome == .rolledBack }.compactMap(\.id))
        var results: [StepResult] = []
        for end in ends {
            guard let id = end.id, let step = plan.step(id), !rolledBack.contains(id) else { continue }
            if var result = try check(step, end: end, reset: resetBetween) {
                // Zero scans since a counter reset says nothing about the time before it.
                if countersReset && result.verdict == "unused" {
                    result.verdict = "not judged (statistics reset)"
                    result.rollback = nil
                }
                results.append(result)
            }
        }
        return Report(database: plan.server.database, appliedAt: applied, statisticsReset: resetBetween, notes: notes, steps: results)
    }

    /// Whether `pg_stat_reset()` cleared this database's table and index counters after `time`.
    private func indexCountersReset(since time: Timestamp) throws -> Bool {
        let reset = try db.query("""
            -- pgadvisor: verify
            SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = pg_catalog.current_database()
            """).rows.first?["stats_reset"].optionalTimestamp()
        return reset.map { $0 > time } ?? false
    }

    private func check(_ step: PlanStep, end: JournalEntry, reset: Bool) throws -> StepResult? {
        switch step.kind {
        case "create-index": return try createdIndex(step, end: end, reset: reset)
        case "drop-index": return try droppedIndex(step, end: end, reset: reset)
        case "alter-system": return try setting(step)
        default: return nil
        }
    }

    private func rollbackCommand(_ step: PlanStep) -> String {
        "pgadvisor rollback \(StepSelectors.shellQuoted(journalPath)) --only \(StepSelectors.shellQuoted(step.id)) --yes"
    }

    private func createdIndex(_ step: PlanStep, end: JournalEntry, reset: Bool) throws -> StepResult {
        let index = step.object.index.map(SQLQuoting.qualified) ?? "?"
        let scans = try db.query("""
            -- pgadvisor: verify
            SELECT idx_scan FROM pg_catalog.pg_stat_all_indexes WHERE indexrelid = pg_catalog.to_regclass($1)
            """, [index]).rows.first?["idx_scan"].optionalInt64()
        let statements = try compare(end.before?.statements ?? [], reset: reset)
        var verdict = scans == nil ? "missing" : scans == 0 ? "unused" : "helped"
        if scans ?? 0 > 0 {
            if statements.contains(where: { $0.verdict == "regressed" }) { verdict = "regressed" }
            else if !statements.contains(where: { $0.verdict == "helped" }) { verdict = statements.isEmpty ? "used" : "unchanged" }
        }
        let details = [scans.map { "\(index): \($0) scans since it was created" } ?? "\(index) no longer exists"]
        return StepResult(id: step.id, verdict: verdict, details: details, statements: statements,
                          rollback: verdict == "regressed" || verdict == "unused" ? rollbackCommand(step) : nil)
    }

    private func droppedIndex(_ step: PlanStep, end: JournalEntry, reset: Bool) throws -> StepResult {
        // A drop helps no statement: its table's statements are only faster, unchanged or slower.
        let statements = try compare(end.before?.statements ?? [], reset: reset).map { s in
            var s = s
            s.verdict = ["helped": "faster", "regressed": "slower"][s.verdict] ?? s.verdict
            return s
        }
        let slower = statements.filter { $0.verdict == "slower" }
        let table = step.object.table.map(SQLQuoting.qualified) ?? "its table"
        return StepResult(
            id: step.id, verdict: slower.isEmpty ? "no regression" : "regressed",
            details: [slower.isEmpty ? "no statement on \(table) got slower" : "\(slower.count) statement(s) on \(table) got slower"],
            statements: statements, rollback: slower.isEmpty ? nil : rollbackCommand(step))
    }

    private func setting(_ step: PlanStep) throws -> StepResult {
        let name = step.object.setting ?? ""
        let current = try SettingReadback.current(name, db)
        let value = current?.shown ?? "?"
        let pending = current?.pendingRestart ?? false
        return StepResult(id: step.id, verdict: pending ? "waiting for a restart" : "in effect",
                          details: ["\(name) = \(value)" + (pending ? " (pending restart)" : "")], statements: [], rollback: nil)
    }

    /// Mean time per statement before and since the apply (or since a reset).
    private func compare(_ before: [StatementFigure], reset: Bool) throws -> [StatementResult] {
        guard !before.isEmpty else { return [] }
        let now = Dictionary(
            (try StepFigures.statementFigures(ids: before.map(\.queryId), table: nil, db)).map { ($0.queryId, $0) },
            uniquingKeysWith: { a, _ in a })
        return before.map { b in
            let window = now[b.queryId].map {
                CounterWindow.between(before: (b.calls, b.totalMs), after: ($0.calls, $0.totalMs), reset: reset)
            }
            let calls = window?.calls ?? 0
            let after = window?.meanMs
            var verdict = "no calls since"
            if let after {
                verdict = after <= b.meanMs * (1 - minChange) ? "helped" : after >= b.meanMs * (1 + minChange) ? "regressed" : "unchanged"
            }
            return StatementResult(queryId: b.queryId, text: b.text, meanBeforeMs: b.meanMs, meanAfterMs: after, callsSince: calls, verdict: verdict)
        }
    }
}
