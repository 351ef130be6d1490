import Model

/// The index advisor's result: the indexes to create, ranked by the time they save, with the
/// numbers behind each; every candidate it did not recommend, with the reason; and what the
/// search cost.
public struct IndexAdvice: Equatable, Sendable {
    /// true when every cost came from the server's planner with hypothetical indexes (hypopg).
    public var verified: Bool
    public var recommendations: [IndexRecommendation]
    public var rejections: [CandidateRejection]
    public var skippedStatements: [SkippedStatement]
    /// Statements costed (parsed, resolved, with at least one candidate).
    public var costedStatements: Int
    public var candidates: Int
    public var explainCalls: Int
    /// Costings answered from the cache instead of the planner.
    public var cacheHits: Int
    /// The workload's estimated time (or cost, without timings) with the recommendations, as a
    /// share of it without them (1 = no gain).
    public var relativeCost: Double
    /// The same with every candidate at once: a practical lower bound.
    public var lowerBoundRelativeCost: Double
    /// The whole workload's execution time since the statistics reset (nil without timings):
    /// what a skipped statement's share is measured against.
    public var workloadMs: Double?
    /// Why the advice is what it is: unverified, search stopped early, and so on.
    public var notes: [String]
    /// Without hypopg on a live server: the current plans of the workload's statements.
    public var currentPlans: [CurrentPlan] = []
    /// How generic plans of statements with `$n` were read: `generic_plan` (EXPLAIN
    /// (GENERIC_PLAN), PostgreSQL 16+) or `prepared_statement`; nil when nothing was explained.
    public var explainMethod: String? = nil

    public init(
        verified: Bool, recommendations: [IndexRecommendation] = [], rejections: [CandidateRejection] = [],
        skippedStatements: [SkippedStatement] = [], costedStatements: Int = 0, candidates: Int = 0,
        explainCalls: Int = 0, cacheHits: Int = 0, relativeCost: Double = 1, lowerBoundRelativeCost: Double = 1,
        workloadMs: Double? = nil, notes: [String] = []
    ) {
        self.verified = verified
        self.recommendations = recommendations
        self.rejections = rejections
        self.skippedStatements = skippedStatements
        self.costedStatements = costedStatements
        self.candidates = candidates
        self.explainCalls = explainCalls
        self.cacheHits = cacheHits
        self.relativeCost = relativeCost
        self.lowerBoundRelativeCost = lowerBoundRelativeCost
        self.workloadMs = workloadMs
        self.notes = notes
    }
}

/// One index to create.
public struct IndexRecommendation: Equatable, Sendable {
    public var spec: IndexSpec
    /// How the candidate came about (`equality → range`, `partial`, ...).
    public var origin: String
    public var estimatedBytes: Int64
    /// pgadvisor's own estimate from row count and column widths, the cross-check of hypopg's
    /// (which ignores btree deduplication); equal to `estimatedBytes` without hypopg.
    public var bytesFromWidths: Int64
    /// The statements whose plan uses it, largest saving first.
    public var statements: [StatementBenefit]
    public var writeOverhead: WriteOverhead
    /// Execution time saved per day by this index (nil without timings, or when the statistics
    /// cover less than a day: a per-day figure would be a guess).
    public var savedMsPerDay: Double?
    /// Execution time saved since the statistics reset (nil without timings).
    public var savedMs: Double?
    /// What the index adds to the others: the weighted time it saves (per day), or without
    /// timings the cost units; recommendations are ranked by it.
    public var benefit: Double

    public init(
        spec: IndexSpec, origin: String, estimatedBytes: Int64, bytesFromWidths: Int64? = nil,
        statements: [StatementBenefit], writeOverhead: WriteOverhead, savedMsPerDay: Double? = nil,
        savedMs: Double? = nil, benefit: Double = 0
    ) {
        self.spec = spec
        self.origin = origin
        self.estimatedBytes = estimatedBytes
        self.bytesFromWidths = bytesFromWidths ?? estimatedBytes
        self.statements = statements
        self.writeOverhead = writeOverhead
        self.savedMsPerDay = savedMsPerDay
        self.savedMs = savedMs
        self.benefit = benefit
    }
}

/// What one recommended index does for one statement.
public struct StatementBenefit: Equatable, Sendable {
    public var label: String
    public var queryId: Int64?
    public var text: String
    public var calls: Int64?
    public var meanMs: Double?
    /// Planner cost without and with the recommended indexes.
    public var costBefore: Double
    public var costAfter: Double
    /// Estimated time saved per call: the mean scaled by the cost cut (nil without timings).
    public var savedMsPerCall: Double?
    public var savedMsPerDay: Double?

    public init(
        label: String, queryId: Int64? = nil, text: String, calls: Int64? = nil, meanMs: Double? = nil,
        costBefore: Double, costAfter: Double, savedMsPerCall: Double? = nil, savedMsPerDay: Double? = nil
    ) {
        self.label = label
        self.queryId = queryId
        self.text = text
        self.calls = calls
        self.meanMs = meanMs
        self.costBefore = costBefore
        self.costAfter = costAfter
        self.savedMsPerCall = savedMsPerCall
        self.savedMsPerDay = savedMsPerDay
    }

    /// The share of the cost the indexes cut, 0...1.
    public var improvement: Double { costBefore > 0 ? max(0, 1 - costAfter / costBefore) : 0 }

    /// One line for reports: `query 42 (700 calls, mean 35.0 ms): cost 4,512 → 8.3 (−99.8%),
    /// saves 34.9 ms per call, 2.1 s a day`.
    public var summary: String {
        var line = label
        if let calls, let meanMs { line += " (\(Format.count(calls)) calls, mean \(Format.duration(ms: meanMs)))" }
        line += ": cost \(Format.decimal(costBefore)) → \(Format.decimal(costAfter)) (−\(Format.percent(improvement)))"
        if let savedMsPerCall { line += ", saves \(Format.duration(ms: savedMsPerCall)) per call" }
        if let savedMsPerDay { line += ", \(Format.duration(ms: savedMsPerDay)) a day" }
        return line
    }
}

/// What an index costs the table's writes.
public struct WriteOverhead: Equatable, Sendable {
    /// Index entries the table's writes since the statistics reset would have added (inserts
    /// and non-HOT updates), nil without the table's counters.
    public var entries: Double?
    /// The same per day, when the counters cover at least a day (a shorter window would make a
    /// one-off load look like a day's writes).
    public var entriesPerDay: Double?
    /// The estimated time those entries take per day.
    public var msPerDay: Double?
    /// Index entry size over row size (pganalyze's index write overhead).
    public var entryToRowRatio: Double?
    /// Updated columns the index would hold, which turns their HOT updates into full ones.
    public var breaksHOTOn: [String]

    public init(
        entries: Double? = nil, entriesPerDay: Double? = nil, msPerDay: Double? = nil, entryToRowRatio: Double? = nil,
        breaksHOTOn: [String] = []
    ) {
        self.entries = entries
        self.entriesPerDay = entriesPerDay
        self.msPerDay = msPerDay
        self.entryToRowRatio = entryToRowRatio
        self.breaksHOTOn = breaksHOTOn
    }
}
