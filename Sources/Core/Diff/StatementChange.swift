import Model

/// A statement whose figures changed between two snapshots: its mean time then, and its calls
/// and time over the window between them.
public struct StatementChange: Equatable, Sendable {
    /// Where the window's figures come from.
    public enum Basis: String, Sendable {
        /// NEW − OLD: the counters went on counting.
        case window
        /// NEW's own figures: the counters restarted between the snapshots (a reset, an eviction).
        case sinceReset = "since-reset"
    }

    public var key: StatementKey
    public var text: String
    /// OLD's cumulative calls and mean; nil when OLD does not have the statement.
    public var oldCalls: Int64?
    public var oldMeanMs: Double?
    public var window: CounterWindow
    public var basis: Basis

    public init(key: StatementKey, text: String, oldCalls: Int64?, oldMeanMs: Double?, window: CounterWindow) {
        self.key = key
        self.text = text
        self.oldCalls = oldCalls
        self.oldMeanMs = oldMeanMs
        self.window = window
        self.basis = window.restarted ? .sinceReset : .window
    }

    /// The window's mean over OLD's, minus one (0.5 = 50 % slower); nil without both means.
    public var slowdown: Double? {
        guard let old = oldMeanMs, old > 0, let now = window.meanMs else { return nil }
        return now / old - 1
    }

    /// Time the window's calls took beyond what they would have taken at OLD's mean.
    public var addedMs: Double {
        guard let old = oldMeanMs, let now = window.meanMs else { return window.totalMs }
        return (now - old) * Double(window.calls)
    }
}
