/// One line of `pgadvisor doctor`: is a capability there, and what to do when it is not.
public struct DoctorCheck: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable, Comparable {
        case ok, warning, missing

        private var rank: Int {
            switch self {
            case .ok: return 0
            case .warning: return 1
            case .missing: return 2
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// Stable check name, e.g. `pg_stat_statements`.
    public var name: String
    public var status: Status
    /// What was found, in one sentence.
    public var summary: String
    /// What pgadvisor cannot do without it.
    public var impact: String?
    /// What to do, as a command or statement when there is one.
    public var fix: String?

    public init(name: String, status: Status, summary: String, impact: String? = nil, fix: String? = nil) {
        self.name = name
        self.status = status
        self.summary = summary
        self.impact = impact
        self.fix = fix
    }
}
