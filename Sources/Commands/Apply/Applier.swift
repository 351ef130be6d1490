import Connector
import Foundation
import Model
import Planner

/// Runs the steps of a plan in order on the apply session, journaling each before and after.
struct Applier {
    var session: ApplySession
    var runner: StepRunner
    var continueOnError: Bool

    struct Summary {
        var outcomes: [(PlanStep, StepOutcome, String?)] = []
        var seconds: Double = 0

        var failed: Bool { outcomes.contains { $0.1 == .failed } }
        func count(_ outcome: StepOutcome) -> Int { outcomes.filter { $0.1 == outcome }.count }
    }

    /// Runs `steps`, skipping those in `finished` (done by an earlier run of this journal) and
    /// those in `unauthorized`; `interrupted` holds the step-start entries of an earlier run
    /// that never ended.
    func run(_ steps: [PlanStep], finished: Set<String>, interrupted: [String: JournalEntry] = [:],
             unauthorized: [String: String]) throws -> Summary {
        var summary = Summary()
        let started = Date()
        for (i, step) in steps.enumerated() {
            let label = "[\(i + 1)/\(steps.count)] \(step.id)"
            if finished.contains(step.id) {
                session.say("\(label): finished by the earlier run")
                continue
            }
            if let reason = unauthorized[step.id] {
                var end = JournalEntry(.stepEnd, id: step.id)
                end.outcome = .unauthorized
                end.message = "not run: the role lacks \(reason)"
                try session.journal.write(end)
                summary.outcomes.append((step, .unauthorized, end.message))
                session.say("\(label): skipped, the role lacks \(reason)")
                continue
            }
            let end = try runStep(step, label: label, interrupted: interrupted[step.id])
            summary.outcomes.append((step, end.outcome ?? .failed, end.message))
            if end.outcome == .failed && !continueOnError { break }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private func runStep(_ step: PlanStep, label: String, interrupted: JournalEntry?) throws -> JournalEntry {
        session.say("\(label): \(step.summary) (estimated \(step.estimate.display)) ...")
        let began = Date()
        let prepared = runner.prepare(step)
        var start = JournalEntry(.stepStart, id: step.id)
        start.sql = step.sql
        start.rollback = prepared.rollback
        start.before = prepared.before
        try session.journal.write(start)
        let end = runner.run(step, prepared, interrupted: interrupted)
        try session.journal.write(end)
        let took = String(format: "%.1f s", Date().timeIntervalSince(began))
        let outcome = end.outcome?.rawValue ?? "failed"
        session.say("\(label): \(outcome) in \(took)" + (end.message.map { ": \($0)" } ?? ""))
        for line in end.readback ?? [] { session.say("    \(line)") }
        return end
    }
}
