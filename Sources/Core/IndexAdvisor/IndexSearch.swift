import Model

/// The search over candidates: costs every statement without new indexes, screens each
/// candidate on the statements of its table, then adds greedily the candidate that saves the
/// most weighted time net of its write overhead, within the index and size budgets, and drops
/// picks that later picks made redundant. Costings are cached per (statement, candidates on
/// its tables).
final class IndexSearch {
    private let statements: [AnalyzedStatement]
    private let candidates: [IndexCandidate]
    private let model: any IndexCostModel
    private let options: IndexAdvisorOptions
    private let budgetBytes: Int64
    private let facts: SnapshotFacts
    private let windows: StatisticsWindows

    private var cache: [CacheKey: PlanCost] = [:]
    private(set) var cacheHits = 0
    private(set) var notes: [String] = []
    private(set) var skipped: [SkippedStatement] = []

    private struct CacheKey: Hashable {
        var statement: Int
        var indexes: Set<IndexSpec>
    }

    struct Result {
        var recommendations: [IndexRecommendation] = []
        var rejections: [CandidateRejection] = []
        var costed = 0
        var relativeCost = 1.0
        var lowerBound = 1.0
    }

    init(
        statements: [AnalyzedStatement], candidates: [IndexCandidate], model: any IndexCostModel,
        options: IndexAdvisorOptions, budgetBytes: Int64, facts: SnapshotFacts, windows: StatisticsWindows
    ) {
        self.statements = statements
        self.candidates = candidates
        self.model = model
        self.options = options
        self.budgetBytes = budgetBytes
        self.facts = facts
        self.windows = windows
    }

    /// The statement's cost with the indexes of `config` that are on its tables.
    private func cost(_ q: Int, _ config: [IndexSpec]) throws -> PlanCost {
        let relevant = config.filter { statements[q].tables.contains($0.table) }
        let key = CacheKey(statement: q, indexes: Set(relevant))
        if let hit = cache[key] {
            cacheHits += 1
            return hit
        }
        let result = try model.estimate(statements[q], with: relevant)
        cache[key] = result
        return result
    }

    func run() -> Result {
        var result = Result()
        // 1. Baselines; a statement the planner cannot cost is skipped.
        var baseline: [Int: Double] = [:]
        for q in statements.indices {
            do {
                baseline[q] = max(try cost(q, []).cost, 0.001)
            } catch {
                skipped.append(SkippedStatement(statement: statements[q].statement, reason: "could not be costed: \(error)"))
            }
        }
        let costed = statements.indices.filter { baseline[$0] != nil }
        result.costed = costed.count
        guard !costed.isEmpty else {
            result.rejections = candidates.map { CandidateRejection(spec: $0.spec, reason: "none of its statements could be costed") }
            return result
        }
        let timed = costed.allSatisfy { statements[$0].statement.totalMs != nil }
        // Weight: execution time per day (or since the reset); statements from a file weigh their cost.
        var weight: [Int: Double] = [:]
        for q in costed {
            if timed, let total = statements[q].statement.totalMs {
                weight[q] = max(total, 0.001) / (windows.statementDays ?? 1)
            } else {
                weight[q] = baseline[q]!
            }
        }
        // The costed statements reading each table, in order.
        var readersByTable: [QualifiedName: [Int]] = [:]
        for q in costed { for table in statements[q].tables { readersByTable[table, default: []].append(q) } }
        func readers(_ table: QualifiedName) -> [Int] { readersByTable[table] ?? [] }
        /// Σ weight × cost share for the statements reading `table`, under `config`.
        func objective(_ qs: [Int], _ config: [IndexSpec]) throws -> Double {
            try qs.reduce(0) { $0 + weight[$1]! * (try cost($1, config).cost / baseline[$1]!) }
        }

        // 2. Sizes (hypopg also rejects what it cannot build here) and screening.
        var size: [IndexSpec: Int64] = [:]
        var penalty: [IndexSpec: WriteOverhead] = [:]
        var penaltyPerDay: [IndexSpec: Double] = [:]
        var passed: Set<IndexSpec> = []
        // The candidates of the heaviest statements first, so a spent EXPLAIN budget leaves out the least.
        let screeningOrder = candidates.indices.sorted { a, b in
            let (wa, wb) = (candidates[a].statements.reduce(0) { $0 + (weight[$1] ?? 0) },
                            candidates[b].statements.reduce(0) { $0 + (weight[$1] ?? 0) })
            return wa != wb ? wa > wb : a < b
        }.map { candidates[$0] }
        for candidate in screeningOrder {
            let spec = candidate.spec
            if model.explainCalls >= options.maxExplainCalls {
                result.rejections.append(CandidateRejection(
                    spec: spec, reason: "not costed: the budget of \(options.maxExplainCalls) EXPLAIN calls was spent"))
                continue
            }
            do {
                size[spec] = try model.size(of: spec)
            } catch {
                result.rejections.append(CandidateRejection(spec: spec, reason: "could not be simulated: \(error)"))
                continue
            }
            (penalty[spec], penaltyPerDay[spec]) = writeOverhead(spec)
            if size[spec]! > budgetBytes {
                result.rejections.append(CandidateRejection(
                    spec: spec, reason: "its estimated size, \(Format.bytes(size[spec]!)), exceeds the size budget of \(Format.bytes(budgetBytes))"))
                continue
            }
            var (best, bestUnits) = (0.0, 0.0)
            var used = false
            var qualifies = false
            var failure: String?
            for q in readers(spec.table) {
                do {
                    let with = try cost(q, [spec])
                    guard with.used.contains(spec) else { continue }
                    used = true
                    best = max(best, 1 - with.cost / baseline[q]!)
                    bestUnits = max(bestUnits, baseline[q]! - with.cost)
                    if significant(baseline[q]!, with.cost) { qualifies = true }
                } catch {
                    failure = "\(error)"
                }
            }
            if qualifies {
                passed.insert(spec)
            } else if !used {
                let reason = failure.map { "could not be costed: \($0)" }
                    ?? "the planner uses it for none of the statements (a sequential scan or another index is cheaper)"
                result.rejections.append(CandidateRejection(spec: spec, reason: reason))
            } else {
                result.rejections.append(CandidateRejection(
                    spec: spec, reason: "cuts a statement's cost by at most \(Format.percent(best)), "
                        + "\(Format.decimal(bestUnits)) cost units (the minimum is \(Format.percent(options.minImprovement)) "
                        + "and \(Format.decimal(options.minCostSaving)) cost units)"))
            }
        }

        // Greedy ties go to the candidate generated first, whatever the screening order was.
        let pool = candidates.filter { passed.contains($0.spec) }
        // 3. Greedy: add the candidate with the largest net saving.
        var chosen: [IndexSpec] = []
        var usedBytes: Int64 = 0
        var reasons: [IndexSpec: String] = [:]
        var stopped = false
        while chosen.count < options.maxIndexes {
            if model.explainCalls >= options.maxExplainCalls {
                notes.append("The search stopped after \(model.explainCalls) EXPLAIN calls (the limit); the picks so far are kept.")
                stopped = true
                break
            }
            var best: (spec: IndexSpec, net: Double)?
            for candidate in pool where !chosen.contains(candidate.spec) {
                let spec = candidate.spec
                // The budget ends the round too: the best candidate so far is still taken.
                if model.explainCalls >= options.maxExplainCalls { break }
                reasons[spec] = nil
                if usedBytes + size[spec]! > budgetBytes {
                    reasons[spec] = "the size budget of \(Format.bytes(budgetBytes)) is spent (\(Format.bytes(usedBytes)) chosen)"
                    continue
                }
                do {
                    let qs = readers(spec.table)
                    var helps = false
                    for q in qs {
                        let before = try cost(q, chosen), after = try cost(q, chosen + [spec])
                        if after.used.contains(spec), significant(before.cost, after.cost) { helps = true }
                    }
                    let gain = try objective(qs, chosen) - objective(qs, chosen + [spec])
                    let net = gain - (timed ? penaltyPerDay[spec] ?? 0 : 0)
                    guard helps else {
                        reasons[spec] = supersededReason(spec, chosen: chosen)
                        continue
                    }
                    guard net > 0 else {
                        reasons[spec] = "its write overhead (\(Format.duration(ms: penaltyPerDay[spec] ?? 0)) a day) "
                            + "outweighs the time it saves (\(Format.duration(ms: gain)) a day)" + shortWindowCaveat()
                        continue
                    }
                    if best == nil || net > best!.net || (net == best!.net && size[spec]! < size[best!.spec]!) {
                        best = (spec, net)
                    }
                } catch {
                    reasons[spec] = "could not be costed: \(error)"
                }
            }
            guard let pick = best else { break }
            chosen.append(pick.spec)
            usedBytes += size[pick.spec]!
            reasons[pick.spec] = nil
        }
        if chosen.count == options.maxIndexes {
            for candidate in pool where !chosen.contains(candidate.spec) && reasons[candidate.spec] == nil {
                reasons[candidate.spec] = "the limit of \(options.maxIndexes) indexes was reached"
            }
        }

        // 4. Drop picks that later picks made redundant.
        var pruned = true
        while pruned {
            pruned = false
            for spec in chosen {
                let rest = chosen.filter { $0 != spec }
                let qs = readers(spec.table)
                let needed = (try? qs.contains { q in
                    let with = try cost(q, chosen), without = try cost(q, rest)
                    return significant(without.cost, with.cost)
                }) ?? true
                if !needed {
                    chosen = rest
                    reasons[spec] = supersededReason(spec, chosen: rest)
                    pruned = true
                    break
                }
            }
        }
        for candidate in pool where !chosen.contains(candidate.spec) {
            let reason = reasons[candidate.spec] ?? (stopped ? "not reached before the search stopped" : supersededReason(candidate.spec, chosen: chosen))
            result.rejections.append(CandidateRejection(spec: candidate.spec, reason: reason))
        }

        // 5. The final numbers.
        let totalWeight = costed.reduce(0) { $0 + weight[$1]! }
        do {
            result.relativeCost = try objective(costed, chosen) / totalWeight
            let everything = candidates.map(\.spec).filter { size[$0] != nil }
            result.lowerBound = try objective(costed, everything) / totalWeight
        } catch {
            notes.append("The workload cost could not be re-costed: \(error).")
        }
        for spec in chosen {
            guard let recommendation = try? recommendation(spec, chosen: chosen, baseline: baseline, weight: weight,
                                                           timed: timed, size: size[spec]!, penalty: penalty[spec]!)
            else { continue }
            result.recommendations.append(recommendation)
        }
        result.recommendations.sort { a, b in
            if a.benefit != b.benefit { return a.benefit > b.benefit }
            return a.spec.display < b.spec.display
        }
        result.rejections.sort { $0.display < $1.display }
        return result
    }

    private func recommendation(
        _ spec: IndexSpec, chosen: [IndexSpec], baseline: [Int: Double], weight: [Int: Double], timed: Bool,
        size: Int64, penalty: WriteOverhead
    ) throws -> IndexRecommendation {
        let origin = candidates.first { $0.spec == spec }?.origin ?? ""
        var benefits: [StatementBenefit] = []
        var marginal = 0.0
        let rest = chosen.filter { $0 != spec }
        for q in statements.indices where baseline[q] != nil && statements[q].tables.contains(spec.table) {
            let with = try cost(q, chosen)
            let without = try cost(q, rest)
            marginal += weight[q]! * (without.cost - with.cost) / baseline[q]!
            guard with.used.contains(spec) else { continue }
            let s = statements[q].statement
            let before = baseline[q]!
            let perCall = s.meanMs.map { $0 * max(0, 1 - with.cost / before) }
            let perDay = perCall.flatMap { p in s.calls.flatMap { c in windows.displayDays.map { p * Double(c) / $0 } } }
            benefits.append(StatementBenefit(
                label: s.label, queryId: s.queryId, text: s.text, calls: s.calls, meanMs: s.meanMs, costBefore: before,
                costAfter: with.cost, savedMsPerCall: perCall, savedMsPerDay: perDay))
        }
        benefits.sort { a, b in
            let (x, y) = (a.savedMsPerDay ?? a.savedMsPerCall ?? (a.costBefore - a.costAfter),
                          b.savedMsPerDay ?? b.savedMsPerCall ?? (b.costBefore - b.costAfter))
            return x != y ? x > y : a.label < b.label
        }
        let perDay = timed && windows.displayDays != nil ? marginal : nil
        let total = timed ? marginal * (windows.statementDays ?? 1) : nil
        return IndexRecommendation(
            spec: spec, origin: origin, estimatedBytes: size,
            bytesFromWidths: StatisticsCostModel.estimatedBytes(spec, facts: facts), statements: benefits, writeOverhead: penalty,
            savedMsPerDay: perDay, savedMs: total, benefit: marginal)
    }

    /// true when going from `before` to `after` cuts a statement's cost enough to count: by
    /// the minimum share and the minimum number of cost units.
    private func significant(_ before: Double, _ after: Double) -> Bool {
        after <= before * (1 - options.minImprovement) && before - after >= options.minCostSaving
    }

    /// A caveat for write counters that cover less than a day, where a bulk load weighs as much
    /// as a day of steady writes.
    private func shortWindowCaveat() -> String {
        guard let days = windows.tableDays, days < 1 else { return "" }
        return "; the table counters cover only \(Format.duration(ms: days * 86_400_000)), "
            + "so a one-off bulk load counts as steady writes"
    }

    /// Names the chosen index that now serves the candidate's statements.
    private func supersededReason(_ spec: IndexSpec, chosen: [IndexSpec]) -> String {
        let sameTable = chosen.filter { $0.table == spec.table }
        let threshold = "\(Format.percent(options.minImprovement)) and \(Format.decimal(options.minCostSaving)) cost units"
        guard !sameTable.isEmpty else { return "cuts no statement's cost by \(threshold) or more" }
        let names = sameTable.map { $0.display }.joined(separator: " and ")
        return "cuts no statement's cost by \(threshold) once \(names) \(sameTable.count == 1 ? "exists" : "exist")"
    }

    /// Index entries the table's writes add, and HOT updates lost to updated key columns; with
    /// the time they take per day, the search's write penalty.
    private func writeOverhead(_ spec: IndexSpec) -> (WriteOverhead, Double) {
        guard let table = facts.table(spec.table) else { return (WriteOverhead(), 0) }
        let stats = facts.columnStats(spec.table)
        let keyColumns = Set(candidates.first { $0.spec == spec }?.columns ?? spec.keys.compactMap(\.column))
        var updated: Set<String> = []
        for statement in statements { updated.formUnion(statement.updatedColumns[spec.table] ?? []) }
        let breaks = keyColumns.intersection(updated).sorted()
        let rowWidth = table.columns.reduce(24) { $0 + (stats[$1.name]?.averageWidth ?? 8) }
        let ratio = Double(StatisticsCostModel.keyWidth(spec, stats: stats) + 8) / Double(max(rowWidth, 1))
        guard let activity = table.activity, let days = windows.tableDays, days > 0 else {
            return (WriteOverhead(entryToRowRatio: ratio, breaksHOTOn: breaks), 0)
        }
        var entries = Double(activity.inserted + max(0, activity.updated - activity.hotUpdated))
        if !breaks.isEmpty {
            entries += Double(activity.hotUpdated) * Double(facts.indexes(on: spec.table).count + 1)
        }
        let perDay = entries / days
        let shown = days >= 1 ? perDay : nil
        return (WriteOverhead(
            entries: entries, entriesPerDay: shown, msPerDay: shown.map { $0 * options.writeCostMs }, entryToRowRatio: ratio,
            breaksHOTOn: breaks), perDay * options.writeCostMs)
    }
}

/// How long the counters behind the weights cover, in days.
struct StatisticsWindows {
    /// Since the `pg_stat_statements` reset (or the database statistics reset).
    var statementDays: Double?
    /// Since the table statistics reset.
    var tableDays: Double?
    /// The statement window when it covers at least a day: per-day figures are shown only then.
    var displayDays: Double? { statementDays.flatMap { $0 >= 1 ? $0 : nil } }

    init(snapshot: Snapshot, facts: SnapshotFacts) {
        let tableSeconds = facts.statisticsAge?.seconds
        tableDays = tableSeconds.map { max($0, 60) / 86_400 }
        if let reset = snapshot.statementsInfo?.statsReset {
            statementDays = max(reset.seconds(until: snapshot.collectedAt), 60) / 86_400
        } else {
            statementDays = tableDays
        }
    }
}
