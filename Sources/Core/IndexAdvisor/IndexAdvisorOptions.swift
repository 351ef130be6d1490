/// Thresholds and budgets of the index advisor; the defaults are the documented ones.
public struct IndexAdvisorOptions: Equatable, Sendable {
    /// At most this many indexes are recommended.
    public var maxIndexes: Int
    /// The recommended indexes together stay under this size; nil: 25 % of the database size,
    /// at least 256 MB.
    public var maxBytes: Int64?
    /// A candidate must cut at least this share of one statement's cost.
    public var minImprovement: Double
    /// ... and at least this many planner cost units of it: a cut from 40 to 12 is 70 % of
    /// nothing, and a near-duplicate index is not worth its writes for it.
    public var minCostSaving: Double
    /// Tables with fewer estimated rows are not indexed: a sequential scan of them is cheap.
    public var minTableRows: Double
    /// Key columns per index.
    public var maxColumns: Int
    /// Statements with fewer calls are left out (0 keeps all; statements from a file always count).
    public var minCalls: Int64
    /// Only this many statements, by execution time, are analyzed (statements from a file all are).
    public var maxStatements: Int
    /// The estimated time, in milliseconds, to add one entry to one index on a write.
    public var writeCostMs: Double
    /// A condition matching at most this share of rows makes a partial-index candidate.
    public var partialMaxFraction: Double
    /// The search stops after this many what-if EXPLAIN calls and keeps what it has.
    public var maxExplainCalls: Int

    public init(
        maxIndexes: Int = 10, maxBytes: Int64? = nil, minImprovement: Double = 0.1, minCostSaving: Double = 100,
        minTableRows: Double = 10_000,
        maxColumns: Int = 3, minCalls: Int64 = 0, maxStatements: Int = 200, writeCostMs: Double = 0.01, partialMaxFraction: Double = 0.2,
        maxExplainCalls: Int = 5_000
    ) {
        self.maxIndexes = maxIndexes
        self.maxBytes = maxBytes
        self.minImprovement = minImprovement
        self.minCostSaving = minCostSaving
        self.minTableRows = minTableRows
        self.maxColumns = maxColumns
        self.minCalls = minCalls
        self.maxStatements = maxStatements
        self.writeCostMs = writeCostMs
        self.partialMaxFraction = partialMaxFraction
        self.maxExplainCalls = maxExplainCalls
    }

    /// The size budget for a database of `databaseBytes`.
    public func byteBudget(databaseBytes: Int64?) -> Int64 {
        if let maxBytes { return maxBytes }
        return max(256 << 20, (databaseBytes ?? 0) / 4)
    }
}
