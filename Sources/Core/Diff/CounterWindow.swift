import Model

/// What a cumulative counter (calls and time of a statement, scans of an index) says about the
/// time between two readings: the difference when the counter went on counting, or the second
/// reading alone when it restarted in between (a reset, an eviction, a crash), which then
/// counts from the restart.
public struct CounterWindow: Equatable, Sendable {
    public var calls: Int64
    public var totalMs: Double
    /// true when the second reading counts from a restart between the readings, not from the first.
    public var restarted: Bool

    public init(calls: Int64, totalMs: Double, restarted: Bool) {
        self.calls = calls
        self.totalMs = totalMs
        self.restarted = restarted
    }

    /// Mean time per call over the window, nil without calls.
    public var meanMs: Double? { calls > 0 ? totalMs / Double(calls) : nil }

    /// The window from `before` to `after`. `reset` says the counters were cleared in between
    /// (known from a reset time); a count lower than before says so too. Without a first
    /// reading, everything counted so far is in the window.
    public static func between(before: (calls: Int64, totalMs: Double)?, after: (calls: Int64, totalMs: Double), reset: Bool) -> CounterWindow {
        guard let before else { return CounterWindow(calls: after.calls, totalMs: after.totalMs, restarted: reset) }
        if reset || after.calls < before.calls || after.totalMs < before.totalMs - 0.001 {
            return CounterWindow(calls: after.calls, totalMs: after.totalMs, restarted: true)
        }
        return CounterWindow(calls: after.calls - before.calls, totalMs: max(0, after.totalMs - before.totalMs), restarted: false)
    }

    /// Whether a statistics reset time recorded at both readings moved forward between them.
    public static func resetMoved(from before: Timestamp?, to after: Timestamp?) -> Bool {
        guard let before, let after else { return false }
        return after > before
    }
}
