/// How urgent a finding is. Ordered: `info < warning < critical`.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    /// Worth knowing; no harm yet.
    case info
    /// Costs something now or will soon; plan a fix.
    case warning
    /// Failing or about to fail (wraparound, exhaustion, blocked sessions): act now.
    case critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
