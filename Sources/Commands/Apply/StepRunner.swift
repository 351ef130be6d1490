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

    /// What is known before a step runs, journaled in its step-start entry: its state now, and
    /// (when it is ready) the exact undo and the before-figures, so that a run killed mid-step
    /// still leaves what rollback and verify need.
    struct Prepared {
        var state: StepCheck.Outcome = .changed
        var rollback: [String]?
        var before: BeforeFigures?
        var error: String?
    }

    func prepare(_ step: PlanStep) -> Prepared {
        var prepared = Prepared()
        do {
            try setTimeouts(step)
            prepared.state = try precondition(step)
            if prepared.state == .invalid, let index = step.object.index {
                try session.dropInvalid(index, reason: "left invalid by an earlier build; dropped before building again")
                prepared.state = try precondition(step)
            }
            guard prepared.state == .ready else { return prepared }
            prepared.before = StepFigures.before(step, session.db)
            try withRetries(step) { prepared.rollback = try RollbackCapture.statements(for: step, session.db) }
        } catch {
            prepared.error = Self.describe(error)
        }
        return prepared
    }

    /// Runs a prepared step; returns its step-end entry. `interrupted` is the step-start of an
    /// earlier run of this journal that never ended: a step it finished counts as done by it.
    func run(_ step: PlanStep, _ prepared: Prepared, interrupted: JournalEntry? = nil) -> JournalEntry {
        var end = JournalEntry(.stepEnd, id: step.id)
        if let error = prepared.error { return failed(step, end, error) }
        switch prepared.state {
        case .done where interrupted != nil:
            end.outcome = .done
            end.rollback = interrupted?.rollback
            end.before = interrupted?.before
            end.message = "finished by the interrupted run (found applied on resume)"
            return end
        case .done: end.outcome = .alreadyDone; end.message = "already applied: nothing to do"; return end
        case .changed, .invalid: end.outcome = .changed; end.message = "changed since the plan: \(step.precondition.description) no longer holds"; return end
        case .ready: break
        }
        end.before = prepared.before
        end.rollback = prepared.rollback
        do {
            try execute(step)
            end.sql = step.sql
            if step.kind == "alter-system" { end.readback = try SettingReadback.afterReload(step.object.setting ?? "", session.db) }
            let after = try precondition(step)
            // IF NOT EXISTS skips an invalid leftover: a build is done only when the index is valid.
            if step.kind == "create-index" && after != .done {
                return failed(step, end, "the build left the index \(after == .invalid ? "invalid" : "missing")")
            }
            end.outcome = .done
            if after != .done, step.kind != "reindex" { end.message = "ran, but its check does not show it applied yet (\(step.afterwards))" }
        } catch {
            return failed(step, end, Self.describe(error))
        }
        return end
    }

    private func failed(_ step: PlanStep, _ entry: JournalEntry, _ message: String) -> JournalEntry {
        var end = entry
        end.outcome = .failed
        end.message = message
        if step.kind == "create-index", let index = step.object.index { session.cleanUpAfterFailure(index) }
        return end
    }

    private func setTimeouts(_ step: PlanStep) throws {
        try session.db.query(PlanSQL.set("statement_timeout", "\(step.object.statementTimeoutSeconds ?? 300)s"))
        try session.db.query(PlanSQL.set("lock_timeout", "\(lockTimeoutMs)ms"))
    }

    func precondition(_ step: PlanStep) throws -> StepCheck.Outcome {
        let value = try session.db.query("-- pgadvisor: precondition\n" + step.precondition.sql).rows.first?["state"].optionalString()
        return value.flatMap(StepCheck.Outcome.init(rawValue:)) ?? .changed
    }

    private func execute(_ step: PlanStep) throws { try execute(step.sql, for: step) }

    /// Runs `statements` one at a time for `step`: its statement_timeout, the apply's
    /// lock_timeout, bounded retries. Rollback runs a step's undo through here too.
    func execute(_ statements: [String], for step: PlanStep) throws {
        try setTimeouts(step)
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
