/// The thresholds of a comparison (`pgadvisor diff`'s options).
public struct DiffOptions: Equatable, Sendable {
    /// A statement regressed when its mean over the window is this share slower than OLD's (0.5 = +50 %)…
    public var regression: Double
    /// …and at least this many milliseconds slower per call.
    public var minDeltaMs: Double
    /// Calls a statement needs in OLD and in the window for its mean to be compared.
    public var minCalls: Int64
    /// How many entries the ranked lists keep (heavy statements, growth).
    public var top: Int

    public init(regression: Double = 0.5, minDeltaMs: Double = 1, minCalls: Int64 = 10, top: Int = 10) {
        self.regression = regression
        self.minDeltaMs = minDeltaMs
        self.minCalls = minCalls
        self.top = top
    }
}
