import Connector
import Foundation
import Model

/// Audits the targets of a fleet concurrently, at most `jobs` at a time: one thread and one
/// connection per target, nothing shared between them but the queue of targets and the slots
/// of their outcomes. Outcomes come back in the targets' order, whatever finished first.
struct FleetRun: Sendable {
    var targets: [FleetTarget]
    var jobs: Int
    /// The audit of each target; `target.host` is already merged into its job.
    var job: @Sendable (FleetTarget) -> AuditJob
    var save: RunSaving?
    var top: Int
    var configFile: String?

    /// `--save DIR --keep N` for every target: `DIR/<target>/<timestamp>/`.
    struct RunSaving: Sendable {
        var directory: String
        var keep: Int?
        var started: Date
    }

    func run() -> [FleetOutcome] {
        let state = SharedState(count: targets.count)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, targets.count) {
            group.enter()
            let thread = Thread { [self] in
                while let i = state.next() { state.store(audit(targets[i]), at: i) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return state.outcomes.map { $0! }
    }

    /// One target: collect, audit, save; any failure becomes the outcome's one-line error.
    func audit(_ target: FleetTarget) -> FleetOutcome {
        var outcome = FleetOutcome(target: target)
        do {
            let output = try job(target).run()
            outcome.result = output.result
            if let save {
                let report = AuditReport(snapshot: output.snapshot, result: output.result, top: top, configFile: configFile)
                outcome.saved = try RunArchive(directory: save.directory + "/" + target.folder)
                    .saveAudit(report, at: save.started, keep: save.keep).folder
            }
        } catch let error as ConnectorError {
            outcome.error = error.description
        } catch let error as CLIError {
            outcome.error = error.message
        } catch {
            outcome.error = ConninfoDisplay.redacted(String(describing: error), knowing: target.conninfo)
        }
        return outcome
    }

    /// The queue of target indexes and the outcome slots, behind one lock.
    private final class SharedState: @unchecked Sendable {
        private let lock = NSLock()
        private var cursor = 0
        private var slots: [FleetOutcome?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard cursor < slots.count else { return nil }
            cursor += 1
            return cursor - 1
        }

        func store(_ outcome: FleetOutcome, at index: Int) {
            lock.lock()
            slots[index] = outcome
            lock.unlock()
        }

        var outcomes: [FleetOutcome?] {
            lock.lock()
            defer { lock.unlock() }
            return slots
        }
    }
}
