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
    /// Tables another session held locked past lock_timeout, so the model could not cost them.
    private(set) var lockedTables: Set<QualifiedName> = []

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

    /// How screening ends for one candidate.
    private enum Screening {
        case passed(SearchState.Candidate)
        /// Simulated, so it counts in the lower bound, but rejected.
        case rejected(SearchState.Candidate, String)
        /// Not simulated at all.
        case unsimulated(String)
    }

    /// What adding a candidate to the picks would bring in a greedy round.
    private enum Addition {
        case saves(net: Double)
        case rejected(String)
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
        let result: PlanCost
        do {
            result = try model.estimate(statements[q], with: relevant)
        } catch let error as LockedTablesError {
            lockedTables.formUnion(error.tables)
            throw error
        }
        cache[key] = result
        return result
    }

    /// Σ weight × cost share for the statements `qs` under `config`.
    private func objective(_ qs: [CostedWorkload.Statement], _ config: [IndexSpec]) throws -> Double {
        try qs.reduce(0) { $0 + $1.weight * (try cost($1.index, config).cost / $1.baseline) }
    }

    /// The search, step by step: baselines, screening, greedy rounds, pruning, then the
    /// rejections of the pool and the final numbers.
    func run() -> Result {
        var result = Result()
        let workload = costBaselines()
        result.costed = workload.statements.count
        guard !workload.isEmpty else {
            result.rejections = candidates.map { CandidateRejection(spec: $0.spec, reason: "none of its statements could be costed") }
            return result
        }
        let (pool, simulated) = screenAll(workload, rejections: &result.rejections)
        var state = SearchState(pool: pool)
        addGreedily(&state, workload)
        prune(&state, workload)
        for candidate in state.unchosen {
            let reason = state.reasons[candidate.spec] ?? (state.stopped
                ? "not reached before the search stopped" : supersededReason(candidate.spec, chosen: state.chosenSpecs))
            result.rejections.append(CandidateRejection(spec: candidate.spec, reason: reason))
        }
        finish(&result, state, workload, everything: simulated)
        return result
    }

    /// Costs every statement without new indexes; a statement the planner cannot cost is skipped.
    private func costBaselines() -> CostedWorkload {
        var baselines: [(index: Int, cost: Double)] = []
        for q in statements.indices {
            do {
                baselines.append((q, max(try cost(q, []).cost, 0.001)))
            } catch let error as LockedTablesError {
                skipped.append(SkippedStatement(
                    statement: statements[q].statement,
                    reason: "not costed by the planner: \(error); estimated from pg_stats instead"))
            } catch {
                skipped.append(SkippedStatement(statement: statements[q].statement, reason: "could not be costed: \(error)"))
            }
        }
        return CostedWorkload(statements: statements, baselines: baselines, statementDays: windows.statementDays)
    }

    /// Screens every candidate, rejections going to `rejections`: the pool of the greedy
    /// search, in the order the candidates were generated so that its ties go to the first
    /// whatever the screening order was, and every candidate hypopg could simulate.
    private func screenAll(
        _ workload: CostedWorkload, rejections: inout [CandidateRejection]
    ) -> (pool: [SearchState.Candidate], simulated: [IndexSpec]) {
        var passed: [IndexSpec: SearchState.Candidate] = [:]
        var simulated: Set<IndexSpec> = []
        for candidate in screeningOrder(workload) {
            switch screen(candidate.spec, workload) {
            case .passed(let screened):
                passed[screened.spec] = screened
                simulated.insert(screened.spec)
            case .rejected(let screened, let reason):
                simulated.insert(screened.spec)
                rejections.append(CandidateRejection(spec: screened.spec, reason: reason))
            case .unsimulated(let reason):
                rejections.append(CandidateRejection(spec: candidate.spec, reason: reason))
            }
        }
        return (candidates.compactMap { passed[$0.spec] }, candidates.map(\.spec).filter { simulated.contains($0) })
    }

    /// The candidates of the heaviest statements first, so a spent EXPLAIN budget leaves out the least.
    private func screeningOrder(_ workload: CostedWorkload) -> [IndexCandidate] {
        candidates.indices.sorted { a, b in
            let (wa, wb) = (candidates[a].statements.reduce(0) { $0 + workload.weight(of: $1) },
                            candidates[b].statements.reduce(0) { $0 + workload.weight(of: $1) })
            return wa != wb ? wa > wb : a < b
        }.map { candidates[$0] }
    }

    /// Sizes the candidate (hypopg also rejects what it cannot build here) while the EXPLAIN
    /// budget lasts, then keeps it when it fits the size budget and cuts the cost of a
    /// statement of its table enough.
    private func screen(_ spec: IndexSpec, _ workload: CostedWorkload) -> Screening {
        if model.explainCalls >= options.maxExplainCalls {
            return .unsimulated("not costed: the budget of \(options.maxExplainCalls) EXPLAIN calls was spent")
        }
        let size: Int64
        do {
            size = try model.size(of: spec)
        } catch let error as LockedTablesError {
            lockedTables.formUnion(error.tables)
            return .unsimulated("could not be simulated: \(error)")
        } catch {
            return .unsimulated("could not be simulated: \(error)")
        }
        let (overhead, penaltyPerDay) = writeOverhead(spec)
        let candidate = SearchState.Candidate(spec: spec, size: size, overhead: overhead, penaltyPerDay: penaltyPerDay)
        if size > budgetBytes {
            return .rejected(
                candidate, "its estimated size, \(Format.bytes(size)), exceeds the size budget of \(Format.bytes(budgetBytes))")
        }
        return benefitShortfall(spec, workload).map { .rejected(candidate, $0) } ?? .passed(candidate)
    }

    /// nil when the candidate, alone, cuts the cost of a statement of its table by the
    /// minimum share and cost units; else why not: the planner does not use it, it could not
    /// be costed, or the best cut it makes.
    private func benefitShortfall(_ spec: IndexSpec, _ workload: CostedWorkload) -> String? {
        var (best, bestUnits) = (0.0, 0.0)
        var used = false
        var qualifies = false
        var failure: String?
        for s in workload.readers(of: spec.table) {
            do {
                let with = try cost(s.index, [spec])
                guard with.used.contains(spec) else { continue }
                used = true
                best = max(best, 1 - with.cost / s.baseline)
                bestUnits = max(bestUnits, s.baseline - with.cost)
                if significant(s.baseline, with.cost) { qualifies = true }
            } catch {
                failure = "\(error)"
            }
        }
        if qualifies { return nil }
        guard used else {
            return failure.map { "could not be costed: \($0)" }
                ?? "the planner uses it for none of the statements (a sequential scan or another index is cheaper)"
        }
        return "cuts a statement's cost by at most \(Format.percent(best)), "
            + "\(Format.decimal(bestUnits)) cost units (the minimum is \(Format.percent(options.minImprovement)) "
            + "and \(Format.decimal(options.minCostSaving)) cost units)"
    }

    /// Adds, round by round, the candidate with the largest net saving, until `maxIndexes`
    /// are chosen, the EXPLAIN budget is spent or no candidate qualifies; at the index limit,
    /// the candidates left without a reason are given that one.
    private func addGreedily(_ state: inout SearchState, _ workload: CostedWorkload) {
        while state.chosen.count < options.maxIndexes {
            if model.explainCalls >= options.maxExplainCalls {
                notes.append("The search stopped after \(model.explainCalls) EXPLAIN calls (the limit); the picks so far are kept.")
                state.stopped = true
                break
            }
            guard let pick = bestAddition(&state, workload) else { break }
            state.choose(pick)
        }
        guard state.chosen.count == options.maxIndexes else { return }
        for candidate in state.pool where !state.isChosen(candidate.spec) && state.reasons[candidate.spec] == nil {
            state.reasons[candidate.spec] = "the limit of \(options.maxIndexes) indexes was reached"
        }
    }

    /// One greedy round: the candidate not chosen yet with the largest net saving (a tie goes
    /// to the smaller, then to the first), noting why each other one does not qualify. The
    /// EXPLAIN budget ends the round too: the best candidate so far is still taken.
    private func bestAddition(_ state: inout SearchState, _ workload: CostedWorkload) -> SearchState.Candidate? {
        var best: (candidate: SearchState.Candidate, net: Double)?
        for candidate in state.unchosen {
            if model.explainCalls >= options.maxExplainCalls { break }
            switch addition(of: candidate, to: state, workload) {
            case .rejected(let reason):
                state.reasons[candidate.spec] = reason
            case .saves(let net):
                state.reasons[candidate.spec] = nil
                let better = best.map { net > $0.net || (net == $0.net && candidate.size < $0.candidate.size) } ?? true
                if better { best = (candidate, net) }
            }
        }
        return best?.candidate
    }

    /// The net saving of adding the candidate to the picks (the time it saves the statements of
    /// its table, less its write penalty when the weights are times), or why it does not
    /// qualify: the size budget, no statement it helps enough, or its write overhead.
    private func addition(of candidate: SearchState.Candidate, to state: SearchState, _ workload: CostedWorkload) -> Addition {
        let spec = candidate.spec
        let chosen = state.chosenSpecs
        if state.usedBytes + candidate.size > budgetBytes {
            return .rejected("the size budget of \(Format.bytes(budgetBytes)) is spent (\(Format.bytes(state.usedBytes)) chosen)")
        }
        do {
            let qs = workload.readers(of: spec.table)
            var helps = false
            for s in qs {
                let before = try cost(s.index, chosen), after = try cost(s.index, chosen + [spec])
                if after.used.contains(spec), significant(before.cost, after.cost) { helps = true }
            }
            let gain = try objective(qs, chosen) - objective(qs, chosen + [spec])
            let net = gain - (workload.timed ? candidate.penaltyPerDay : 0)
            guard helps else { return .rejected(supersededReason(spec, chosen: chosen)) }
            guard net > 0 else {
                return .rejected("its write overhead (\(Format.duration(ms: candidate.penaltyPerDay)) a day) "
                    + "outweighs the time it saves (\(Format.duration(ms: gain)) a day)" + shortWindowCaveat())
            }
            return .saves(net: net)
        } catch {
            return .rejected("could not be costed: \(error)")
        }
    }

    /// Drops, one at a time, the first pick that later picks made redundant, until every pick
    /// is needed.
    private func prune(_ state: inout SearchState, _ workload: CostedWorkload) {
        while true {
            let chosen = state.chosenSpecs
            guard let redundant = state.chosen.first(where: { !isNeeded($0.spec, among: chosen, workload) }) else { return }
            state.drop(redundant, reason: supersededReason(redundant.spec, chosen: chosen.filter { $0 != redundant.spec }))
        }
    }

    /// true when taking `spec` out of `chosen` makes a statement of its table significantly
    /// dearer, or when that cannot be costed.
    private func isNeeded(_ spec: IndexSpec, among chosen: [IndexSpec], _ workload: CostedWorkload) -> Bool {
        let rest = chosen.filter { $0 != spec }
        return (try? workload.readers(of: spec.table).contains { s in
            let with = try cost(s.index, chosen), without = try cost(s.index, rest)
            return significant(without.cost, with.cost)
        }) ?? true
    }

    /// The workload's cost relative to now with the picks and with `everything` at once, the
    /// picks' recommendations by benefit, and the rejections by name.
    private func finish(_ result: inout Result, _ state: SearchState, _ workload: CostedWorkload, everything: [IndexSpec]) {
        let chosen = state.chosenSpecs
        let totalWeight = workload.totalWeight
        do {
            result.relativeCost = try objective(workload.statements, chosen) / totalWeight
            result.lowerBound = try objective(workload.statements, everything) / totalWeight
        } catch {
            notes.append("The workload cost could not be re-costed: \(error).")
        }
        result.recommendations = state.chosen.compactMap { try? recommendation($0, chosen: chosen, workload) }
        result.recommendations.sort { a, b in
            if a.benefit != b.benefit { return a.benefit > b.benefit }
            return a.spec.display < b.spec.display
        }
        result.rejections.sort { $0.display < $1.display }
    }

    /// The pick's recommendation: the statements it speeds up, by time saved, and its marginal
    /// benefit, what the workload would lose without it given the other picks.
    private func recommendation(
        _ pick: SearchState.Candidate, chosen: [IndexSpec], _ workload: CostedWorkload
    ) throws -> IndexRecommendation {
        let spec = pick.spec
        let origin = candidates.first { $0.spec == spec }?.origin ?? ""
        var benefits: [StatementBenefit] = []
        var marginal = 0.0
        let rest = chosen.filter { $0 != spec }
        for q in workload.statements where statements[q.index].tables.contains(spec.table) {
            let with = try cost(q.index, chosen)
            let without = try cost(q.index, rest)
            marginal += q.weight * (without.cost - with.cost) / q.baseline
            guard with.used.contains(spec) else { continue }
            let s = statements[q.index].statement
            let before = q.baseline
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
        let perDay = workload.timed && windows.displayDays != nil ? marginal : nil
        let total = workload.timed ? marginal * (windows.statementDays ?? 1) : nil
        return IndexRecommendation(
            spec: spec, origin: origin, estimatedBytes: pick.size,
            bytesFromWidths: StatisticsCostModel.estimatedBytes(spec, facts: facts), statements: benefits,
            writeOverhead: pick.overhead, savedMsPerDay: perDay, savedMs: total, benefit: marginal)
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
