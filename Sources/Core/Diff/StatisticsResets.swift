import Model

/// The statistics resets between two snapshots of one database, and what they do to the
/// comparison. Cumulative counters (pg_stat_statements, table and index scans) count from
/// their last reset: across one, a difference means nothing and the newer figures count from
/// the reset instead.
public struct StatisticsResets: Equatable, Sendable {
    /// A reset of one family of counters.
    public struct Reset: Equatable, Sendable {
        /// When it happened, when the server recorded it.
        public var at: Timestamp?
        /// How it was detected, e.g. `pg_stat_statements_info.stats_reset moved to …`.
        public var evidence: [String]

        public init(at: Timestamp? = nil, evidence: [String]) {
            self.at = at
            self.evidence = evidence
        }
    }

    /// pg_stat_statements was reset (`pg_stat_statements_reset()`, or lost in a crash).
    public var statements: Reset?
    /// The database's table and index counters were reset (`pg_stat_reset()`, or a crash).
    public var relations: Reset?
    /// The server's start time when it restarted between the snapshots.
    public var restartedAt: Timestamp?
    /// pg_stat_statements entries evicted between the snapshots (`dealloc` grew).
    public var evictions: Int64?
    /// Statements whose calls went down without a reset of the whole view (evicted and seen again).
    public var restartedStatements: Int
    /// Indexes whose scans went down without a reset of the database's counters.
    public var restartedIndexes: Int

    public var any: Bool { statements != nil || relations != nil }

    public init(statements: Reset? = nil, relations: Reset? = nil, restartedAt: Timestamp? = nil, evictions: Int64? = nil,
                restartedStatements: Int = 0, restartedIndexes: Int = 0) {
        self.statements = statements
        self.relations = relations
        self.restartedAt = restartedAt
        self.evictions = evictions
        self.restartedStatements = restartedStatements
        self.restartedIndexes = restartedIndexes
    }

    /// Detects the resets from what both snapshots hold.
    public static func detect(old: Snapshot, new: Snapshot) -> StatisticsResets {
        var resets = StatisticsResets()
        if let a = old.server.startedAt, let b = new.server.startedAt, b > a { resets.restartedAt = b }
        let (statements, restartedStatements) = statementsReset(old: old, new: new)
        resets.statements = statements
        resets.restartedStatements = statements == nil ? restartedStatements : 0
        if let a = old.statementsInfo?.deallocations, let b = new.statementsInfo?.deallocations, b > a, statements == nil {
            resets.evictions = b - a
        }
        let (relations, restartedIndexes) = relationsReset(old: old, new: new)
        resets.relations = relations
        resets.restartedIndexes = relations == nil ? restartedIndexes : 0
        return resets
    }

    /// Statements: the reset time moved, `dealloc` went down, or most statements seen in both
    /// count fewer calls (a reset limited to one database or user moves no reset time).
    static func statementsReset(old: Snapshot, new: Snapshot) -> (Reset?, Int) {
        var evidence: [String] = []
        let before = old.statementsInfo, after = new.statementsInfo
        if CounterWindow.resetMoved(from: before?.statsReset, to: after?.statsReset), let at = after?.statsReset {
            evidence.append("pg_stat_statements_info.stats_reset moved from \(before?.statsReset?.iso8601 ?? "?") to \(at.iso8601)")
        }
        if let a = before?.deallocations, let b = after?.deallocations, b < a {
            evidence.append("pg_stat_statements_info.dealloc went down from \(a) to \(b)")
        }
        let oldCalls = Dictionary(old.statements.compactMap { s in StatementKey(s).map { ($0, s.calls) } }, uniquingKeysWith: max)
        var common = 0, backwards = 0, since = 0
        for s in new.statements {
            guard let key = StatementKey(s), let calls = oldCalls[key] else { continue }
            common += 1
            if s.calls < calls { backwards += 1 } else if countsFromAfter(s, old) { since += 1 }
        }
        if backwards + since > 0 && (backwards + since) * 2 > common {
            evidence.append(since == 0 ? "calls went down for \(backwards) of the \(common) statements seen in both snapshots"
                : "\(backwards + since) of the \(common) statements seen in both snapshots count from after OLD (fewer calls, or stats_since)")
        }
        guard !evidence.isEmpty else { return (nil, backwards + since) }
        let at = CounterWindow.resetMoved(from: before?.statsReset, to: after?.statsReset) ? after?.statsReset : nil
        return (Reset(at: at, evidence: evidence), backwards)
    }

    /// Whether a statement's own counters started after OLD was taken (`stats_since`,
    /// pg_stat_statements 1.11+): evicted and seen again, or reset alone.
    static func countsFromAfter(_ statement: StatementStats, _ old: Snapshot) -> Bool {
        statement.statsSince.map { $0 > old.collectedAt } ?? false
    }

    /// Tables and indexes: the database's reset time moved (or appeared), its transaction
    /// counter went down, or most indexes seen in both count fewer scans.
    static func relationsReset(old: Snapshot, new: Snapshot) -> (Reset?, Int) {
        var evidence: [String] = []
        let before = old.database?.statsReset, after = new.database?.statsReset
        let moved = after.map { a in before.map { a > $0 } ?? true } ?? false
        if moved, let after {
            evidence.append("pg_stat_database.stats_reset moved from \(before?.iso8601 ?? "never") to \(after.iso8601)")
        }
        if let a = old.database, let b = new.database, b.commits < a.commits {
            evidence.append("the database's committed transactions went down from \(a.commits) to \(b.commits)")
        }
        let oldScans = Dictionary(old.indexes.map { ($0.qualifiedName, $0.scans) }, uniquingKeysWith: max)
        var counted = 0, backwards = 0
        for index in new.indexes {
            guard let scans = oldScans[index.qualifiedName], scans > 0 else { continue }
            counted += 1
            if index.scans < scans { backwards += 1 }
        }
        if backwards > 0 && backwards * 2 > counted {
            evidence.append("scans went down for \(backwards) of the \(counted) indexes used before")
        }
        guard !evidence.isEmpty else { return (nil, backwards) }
        return (Reset(at: moved ? after : nil, evidence: evidence), backwards)
    }
}
