/// What happened to one source of the snapshot: collected, or why not.
public struct SourceStatus: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Read completely.
        case collected
        /// Read, but some rows or values are missing (see `details`).
        case partial
        /// The source does not exist on this server (extension not installed, view too new).
        case missing
        /// The role may not read it.
        case denied
        /// Reading it failed (timeout, lock timeout, unexpected error).
        case failed
    }

    /// Stable source name, e.g. `pg_stat_statements`, `tables`, `relation_sizes`.
    public var name: String
    public var state: State
    /// Why it is not `collected`, in one sentence.
    public var reason: String?
    /// What to do about it, in one sentence (a command or a grant).
    public var fix: String?
    /// Rows read.
    public var rows: Int
    /// Per-object notes, e.g. relations whose sizes were estimated because they were locked.
    public var details: [String]

    public init(
        name: String, state: State, reason: String? = nil, fix: String? = nil, rows: Int = 0, details: [String] = []
    ) {
        self.name = name
        self.state = state
        self.reason = reason
        self.fix = fix
        self.rows = rows
        self.details = details
    }

    public var isUsable: Bool { state == .collected || state == .partial }
}
