import Core
import Model

/// What auditing one target of a fleet gave: its findings, or the one-line reason it failed.
struct FleetOutcome: Sendable {
    var target: FleetTarget
    var result: AuditResult?
    /// Why the target could not be audited (connection refused, server error), nil when it was.
    var error: String?
    /// The run folder under `--save`, when saved.
    var saved: String?

    var isOK: Bool { error == nil }

    /// Whether a finding at or above `failOn` exists (suppressed findings aside).
    func reaches(_ failOn: Severity?) -> Bool {
        guard let failOn, let highest = result?.highestSeverity else { return false }
        return highest >= failOn
    }
}
