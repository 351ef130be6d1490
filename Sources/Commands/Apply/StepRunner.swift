import Connector
import Foundation
import Model
import Planner

/// Runs one plan step on the writing session: re-checks its precondition, records what
/// rollback and verify need, runs its statements one at a time under lock_timeout with bounded
/// retries, and cleans up what a failed concurrent build leaves.
struct StepRunner {
    var session: ApplySession
    var lockTimeoutMs: Int
    var lockRetries: Int

    /// The journal's step-end entry for `step`.
    func run(_ step: PlanStep) -> JournalEntry {
        var end = JournalEntry(.stepEnd, id: step.id)
        do {
            var state = try precondition(step)
            if state == .invalid, let index = step.object.index {
                try session.dropInvalid(index, reason: "left invalid by an earlier build; dropped before building again")
                state = .ready
            }
            switch state {
            case .done: end.outcome = .alreadyDone; end.message = "already applied: nothing to do"; return end
            case .changed: end.outcome = .changed; end.message = "changed since the plan: \(step.precondition.description) no longer holds"; return end
            case .ready, .invalid: break
            }
            end.before = StepFigures.before(step, session.db)
            end.rollback = try RollbackCapture.statements(for: step, session.db)
            try execute(step)
            end.sql = step.sql
            end.outcome = .done
            if step.kind == "alter-system" { end.readback = try SettingReadback.afterReload(step.object.setting ?? "", session.db) }
            if try precondition(step) != .done, step.kind != "reindex" {
                end.message = "ran, but its check does not show it applied yet (\(step.afterwards))"
            }
        } catch {
            end.outcome = .failed
            end.message = Self.describe(error)
            if step.kind == "create-index", let index = step.object.index { session.cleanUpAfterFailure(index) }
        }
        return end
    }

    func precondition(_ step: PlanStep) throws -> StepCheck.Outcome {
        let value = try session.db.query("-- pgadvisor: precondition\n" + step.precondition.sql).rows.first?["state"].optionalString()
        return value.flatMap(StepCheck.Outcome.init(rawValue:)) ?? .changed
    }

    private func execute(_ step: PlanStep) throws { try execute(step.sql, for: step) }

    /// Runs `statements` one at a time for `step`: its statement_timeout, the apply's
    /// lock_timeout, bounded retries. Rollback runs a step's undo through here too.
    func execute(_ statements: [String], for step: PlanStep) throws {
        let seconds = step.object.statementTimeoutSeconds ?? 300
        try session.db.query(PlanSQL.set("statement_timeout", "\(seconds)s"))
        try session.db.query(PlanSQL.set("lock_timeout", "\(lockTimeoutMs)ms"))
        for statement in statements {
            try withRetries(step) { _ = try session.withProgress(step) { try session.db.query(statement) } }
        }
    }

    /// Retries a lock timeout or deadlock with backoff (1 s, 2 s, 4 s, ... up to 30 s, with
    /// jitter); any other error, or the last attempt's, is thrown.
    private func withRetries(_ step: PlanStep, _ body: () throws -> Void) throws {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as ConnectorError where [SQLState.lockNotAvailable, "40P01"].contains(error.sqlState ?? "") && attempt <= lockRetries {
                if step.kind == "create-index", let index = step.object.index { session.cleanUpAfterFailure(index) }
                let delay = min(30.0, pow(2, Double(attempt - 1))) * Double.random(in: 0.8...1.2)
                session.say("    \(step.id): \(error.message); retry \(attempt) of \(lockRetries) in \(String(format: "%.1f", delay)) s")
                Thread.sleep(forTimeInterval: delay)
                attempt += 1
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as ConnectorError:
            var text = e.message + (e.sqlState.map { " (SQLSTATE \($0))" } ?? "")
            if e.sqlState == SQLState.lockNotAvailable { text += ": another session kept a conflicting lock through every retry" }
            return text
        case let e as CLIError: return e.message
        default: return String(describing: error)
        }
    }
}
