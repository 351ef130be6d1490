import ArgumentParser
import Core
import Model

/// What makes `diff --fail-on` exit with status 2.
enum DiffFailure: String, ExpressibleByArgument, CaseIterable {
    /// A statement regressed.
    case regression
    /// A new finding (or one whose severity rose) at info or above…
    case info
    /// …at warning or above…
    case warning
    /// …at critical.
    case critical

    /// Whether the comparison meets this condition.
    func isMet(by diff: SnapshotDiff) -> Bool {
        switch self {
        case .regression: return !diff.regressions.isEmpty
        case .info, .warning, .critical:
            guard let highest = diff.findings.highestNewSeverity, let level = Severity(rawValue: rawValue) else { return false }
            return highest >= level
        }
    }
}
