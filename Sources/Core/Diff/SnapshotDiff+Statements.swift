import Model

extension SnapshotDiff {
    /// Every statement of NEW with its window since OLD (hidden ones and pgadvisor's own left out).
    static func statementChanges(old: Snapshot, new: Snapshot, reset: Bool) -> [StatementChange] {
        var before: [StatementKey: StatementStats] = [:]
        for s in old.statements {
            if let key = StatementKey(s), before[key] == nil { before[key] = s }
        }
        var seen: Set<StatementKey> = []
        return new.statements.compactMap { s in
            guard !s.isCausedByPgadvisor, let key = StatementKey(s), seen.insert(key).inserted else { return nil }
            let o = before[key]
            let window = CounterWindow.between(
                before: o.map { ($0.calls, $0.totalExecTime) }, after: (s.calls, s.totalExecTime),
                reset: reset || (o != nil && StatisticsResets.countsFromAfter(s, old)))
            let oldMean = o.flatMap { $0.calls > 0 ? $0.totalExecTime / Double($0.calls) : nil }
            return StatementChange(key: key, text: s.query ?? "", oldCalls: o?.calls, oldMeanMs: oldMean, window: window)
        }
    }

    /// Statements slower over the window than in OLD by the share and the floor asked for, with
    /// enough calls on both sides; the most added time first.
    static func regressions(_ changes: [StatementChange], options: DiffOptions) -> [StatementChange] {
        changes.filter { c in
            guard let oldCalls = c.oldCalls, oldCalls >= options.minCalls, c.window.calls >= options.minCalls,
                  let old = c.oldMeanMs, let now = c.window.meanMs, let slowdown = c.slowdown else { return false }
            return slowdown >= options.regression && now - old >= options.minDeltaMs
        }.sorted { ($0.addedMs, $1.key) > ($1.addedMs, $0.key) }
    }

    /// Statements among the `top` by time over the window, taking at least `heavyShare` of it,
    /// that OLD did not have or had with fewer than `minCalls` calls. Index builds, VACUUM,
    /// ANALYZE and the like are a maintenance window's, not the workload's: left out.
    static func newHeavyStatements(_ changes: [StatementChange], options: DiffOptions) -> [StatementChange] {
        let total = changes.reduce(0) { $0 + $1.window.totalMs }
        return changes.filter { $0.window.calls > 0 && $0.window.totalMs > 0 && !StatementKeywords.isMaintenance($0.text) }
            .sorted { ($0.window.totalMs, $1.key) > ($1.window.totalMs, $0.key) }
            .prefix(options.top)
            .filter { ($0.oldCalls ?? 0) < options.minCalls && $0.window.totalMs >= total * heavyShare }
    }

    /// The share of the window's execution time a new statement must take to be called heavy:
    /// below it are the one-off commands of a maintenance window.
    public static let heavyShare = 0.01
}
