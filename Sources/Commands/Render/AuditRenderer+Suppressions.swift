import Core
import Model

/// What text and Markdown say about the configuration's suppressions.
extension AuditRenderer {
    /// "Suppressed: 2 findings (0 critical, 1 warning, 1 info), listed at the end", nil when none.
    static func suppressedLine(_ r: AuditResult) -> String? {
        let n = r.suppressed.count
        guard n > 0 else { return nil }
        return "Suppressed by the configuration: \(n) finding\(n == 1 ? "" : "s") ("
            + Severity.allCases.reversed().map { "\(r.suppressedCount($0)) \($0.rawValue)" }.joined(separator: ", ")
            + "), listed at the end"
    }

    /// One line per expired entry: where it is, what it named, the day it ended.
    static func expiredLine(_ s: Suppression) -> String {
        "Expired suppression at \(s.location): \(s.rule) on \(s.target) ended on \(s.until.map(String.init(describing:)) ?? "?")"
            + " (\(s.reason)); its findings are reported again: extend 'until' or remove the entry"
    }

    /// "why (until 2027-01-31, pgadvisor.toml:14)".
    static func suppressionNote(_ s: Suppression) -> String {
        s.reason + " (" + (s.until.map { "until \($0), " } ?? "") + s.location + ")"
    }
}
