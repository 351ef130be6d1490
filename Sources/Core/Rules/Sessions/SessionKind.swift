import Model

/// How the session rules classify `pg_stat_activity` rows.
///
/// Without `pg_read_all_stats`, PostgreSQL still lists other roles' backends but hides most of
/// their columns: `state`, `query`, the timestamps and also `backend_type` come back NULL, while
/// `pid`, `datname`, `usename` and `application_name` stay visible. Background processes have no
/// user, so a hidden row with a user name is almost always a client backend (a walsender or a
/// background worker that logs in as a role is the exception).
enum SessionKind {
    static let clientBackend = "client backend"

    /// A client backend whose type is visible.
    static func isClient(_ session: SessionInfo) -> Bool {
        session.backendType == clientBackend
    }

    /// A row whose details are hidden from the auditing role but which has a user: most likely a
    /// client backend of another role.
    static func isHiddenClient(_ session: SessionInfo) -> Bool {
        session.backendType == nil && session.state == nil && session.user != nil
    }

    /// Client backends, counting hidden rows that look like one.
    static func countsAsClient(_ session: SessionInfo) -> Bool {
        isClient(session) || isHiddenClient(session)
    }

    /// pgadvisor's own sessions (the collector excludes the one it reads with, not others).
    static func isPGAdvisor(_ session: SessionInfo) -> Bool {
        session.applicationName?.hasPrefix("pgadvisor") ?? false
    }

    static let idle = "idle"
    static let active = "active"
    static let idleInTransaction = "idle in transaction"
    static let idleInTransactionAborted = "idle in transaction (aborted)"

    static func isIdleInTransaction(_ session: SessionInfo) -> Bool {
        session.state == idleInTransaction || session.state == idleInTransactionAborted
    }

    /// Sessions by pid; the first row wins (pids are unique in one snapshot).
    static func byPid(_ sessions: [SessionInfo]) -> [Int32: SessionInfo] {
        Dictionary(sessions.map { ($0.pid, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The statement on one line, short enough for a message.
    static func statement(_ query: String?, limit: Int = 120) -> String? {
        guard let query, !query.isEmpty else { return nil }
        return Format.oneLine(query, limit: limit)
    }

    /// Seconds from `start` to the snapshot, never negative (clocks of a replica may differ).
    static func seconds(since start: Timestamp?, at now: Timestamp) -> Double? {
        start.map { max(0, $0.seconds(until: now)) }
    }

    /// The value to suggest for a timeout, in the unit PostgreSQL accepts (`1min`, `90s`), as the timeouts rule writes it.
    static func timeoutValue(seconds: Double) -> String {
        ConfigValue.duration(ms: max(1, seconds.rounded()) * 1000)
    }

    /// Whether `idle_in_transaction_session_timeout` is off or looser than `seconds`; true when
    /// the setting is not in the snapshot.
    static func idleTimeoutIsLooser(than seconds: Double, in snapshot: Snapshot) -> Bool {
        guard let ms = snapshot.setting("idle_in_transaction_session_timeout")?.milliseconds else { return true }
        return ms == 0 || ms > seconds * 1000
    }
}
