import Model
import Planner

/// The index advisor: which indexes to add, which statements get faster and by how much, and
/// what they cost on writes.
///
/// Statements are parsed with libpg_query and resolved against the snapshot; candidates are
/// generated per statement and table; a cost model prices them: the server's planner with
/// hypothetical indexes when the caller passes one (hypopg), else an estimate from `pg_stats`,
/// and the advice is then marked unverified.
public struct IndexAdvisor: Sendable {
    public var options: IndexAdvisorOptions

    public init(options: IndexAdvisorOptions = IndexAdvisorOptions()) {
        self.options = options
    }

    /// How to get verified advice, for reports of unverified advice.
    public static let verifyAdvice = "install hypopg in the database (\(StatementSQL.createExtension("hypopg")) Debian package "
        + "postgresql-NN-hypopg) and run pgadvisor against the live server for costs from the planner"

    /// The advice for `workload`, costed by `model` (else estimated from the snapshot's
    /// statistics). Tables `model` could not cost because another session held them locked
    /// get advice estimated from statistics, marked so, and are named in the advice.
    public func advise(
        snapshot: Snapshot, workload: [WorkloadStatement], model: (any IndexCostModel)? = nil
    ) -> IndexAdvice {
        let (advice, locked) = adviseOnce(snapshot: snapshot, workload: workload, model: model)
        guard model != nil, !locked.tables.isEmpty else { return advice }
        return withStatisticsFallback(advice, locked: locked, snapshot: snapshot)
    }

    /// What the cost model could not cost because of another session's locks.
    struct LockedWork {
        var tables: Set<QualifiedName> = []
        var statements: [WorkloadStatement] = []
    }

    /// `advice` completed for the locked tables: their statements advised from statistics,
    /// each such recommendation marked, the tables named in a note.
    private func withStatisticsFallback(_ advice: IndexAdvice, locked: LockedWork, snapshot: Snapshot) -> IndexAdvice {
        var merged = advice
        let fallback = locked.statements.isEmpty
            ? IndexAdvice(verified: false) : adviseOnce(snapshot: snapshot, workload: locked.statements, model: nil).0
        // Within the same --max-indexes as the verified advice.
        let room = max(0, options.maxIndexes - advice.recommendations.count)
        let estimated = fallback.recommendations.filter { locked.tables.contains($0.spec.table) }.prefix(room).map { r in
            var marked = r
            marked.estimatedFromStatistics = true
            return marked
        }
        merged.recommendations = Self.named(advice.recommendations + estimated, snapshot: snapshot)
        merged.lockedTables = locked.tables.sorted()
        merged.notes.append("Not verified: \(LockedTablesError(tables: merged.lockedTables)): the planner could not cost "
            + "their statements, so their advice is estimated from pg_stats (unverified); run again once the lock is released.")
        return merged
    }

    private func adviseOnce(
        snapshot: Snapshot, workload: [WorkloadStatement], model: (any IndexCostModel)?
    ) -> (IndexAdvice, LockedWork) {
        let facts = SnapshotFacts(snapshot)
        let (analyzed, unanalyzed) = analyze(workload, snapshot: snapshot)
        var skipped = unanalyzed
        let generated = CandidateGenerator(snapshot: snapshot, facts: facts, options: options).generate(analyzed)
        // Only statements some candidate serves are costed.
        let candidateTables = Set(generated.candidates.map(\.spec.table))
        let served = analyzed.indices.filter { !candidateTables.isDisjoint(with: analyzed[$0].tables) }
        let costable = served.map { analyzed[$0] }
        for (i, statement) in analyzed.enumerated() where candidateTables.isDisjoint(with: statement.tables) {
            skipped.append(SkippedStatement(statement: statement.statement, reason: noCandidateReason(i, generated)))
        }
        // Candidates name statements by their place among the analyzed; the search sees the costable.
        let place = Dictionary(uniqueKeysWithValues: served.enumerated().map { ($0.element, $0.offset) })
        let remapped = generated.candidates.map { c in
            IndexCandidate(spec: c.spec, origin: c.origin, statements: c.statements.compactMap { place[$0] }, columns: c.columns)
        }
        let costModel = model ?? StatisticsCostModel(snapshot: snapshot, facts: facts)
        let search = IndexSearch(
            statements: costable, candidates: remapped, model: costModel, options: options,
            budgetBytes: options.byteBudget(databaseBytes: snapshot.database?.sizeBytes), facts: facts,
            windows: StatisticsWindows(snapshot: snapshot, facts: facts))
        let result = costable.isEmpty ? IndexSearch.Result() : search.run()
        let recommendations = Self.named(result.recommendations, snapshot: snapshot)
        var notes = search.notes
        if !costModel.verified {
            notes.insert("Unverified: costs are estimated from pg_stats, not by the planner; \(Self.verifyAdvice).", at: 0)
        }
        let advice = IndexAdvice(
            verified: costModel.verified, recommendations: recommendations,
            rejections: generated.rejections + result.rejections, skippedStatements: skipped + search.skipped,
            costedStatements: result.costed, candidates: generated.candidates.count + generated.rejections.count,
            explainCalls: costModel.explainCalls, cacheHits: search.cacheHits, relativeCost: result.relativeCost,
            lowerBoundRelativeCost: result.lowerBound, workloadMs: Self.totalMs(workload), notes: notes)
        // Every statement on a locked table, whichever costing met the lock (the baseline, a
        // candidate's size, a search round): the fallback advises them all from statistics.
        let lockedStatements = costable.filter { !search.lockedTables.isDisjoint(with: $0.tables) }.map(\.statement)
        return (advice, LockedWork(tables: search.lockedTables, statements: lockedStatements))
    }

    /// The workload's execution time since the statistics reset; nil when no statement has timings.
    static func totalMs(_ workload: [WorkloadStatement]) -> Double? {
        let timed = workload.compactMap(\.totalMs)
        return timed.isEmpty ? nil : timed.reduce(0, +)
    }

    /// Parses and resolves the statements, the heaviest first (a file's keep their order);
    /// past max-statements, or with too few calls, they are skipped with the reason.
    private func analyze(_ workload: [WorkloadStatement], snapshot: Snapshot) -> ([AnalyzedStatement], [SkippedStatement]) {
        let analyzer = StatementAnalyzer(snapshot: snapshot)
        var analyzed: [AnalyzedStatement] = []
        var skipped: [SkippedStatement] = []
        let ranked = workload.enumerated().sorted { a, b in
            let (x, y) = (a.element.totalMs ?? 0, b.element.totalMs ?? 0)
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        for statement in ranked {
            if let calls = statement.calls, calls < options.minCalls {
                skipped.append(SkippedStatement(statement: statement, reason: "fewer than \(options.minCalls) calls"))
                continue
            }
            // Only statements an index could serve count against max-statements.
            if statement.totalMs != nil, analyzed.count >= options.maxStatements {
                skipped.append(SkippedStatement(
                    statement: statement, reason: "outside the \(options.maxStatements) statements with the most execution time"))
                continue
            }
            switch analyzer.analyze(statement) {
            case .analyzed(let a): analyzed.append(a)
            case .skipped(let reason, let kind): skipped.append(SkippedStatement(statement: statement, reason: reason, kind: kind))
            }
        }
        return (analyzed, skipped)
    }

    /// Gives each recommendation its derived name, numbered as PostgreSQL would
    /// (`orders_customer_id_idx1`) when a relation of the schema, or an earlier recommendation,
    /// already has it: `CREATE INDEX IF NOT EXISTS` would otherwise skip the build silently.
    static func named(_ recommendations: [IndexRecommendation], snapshot: Snapshot) -> [IndexRecommendation] {
        var taken = Set(snapshot.indexes.map(\.qualifiedName))
        taken.formUnion(snapshot.tables.map(\.qualifiedName))
        taken.formUnion(snapshot.sequences.map { QualifiedName(schema: $0.schema, name: $0.name) })
        return recommendations.map { recommendation in
            var r = recommendation
            var number: Int?
            while taken.contains(QualifiedName(schema: r.spec.table.schema, name: r.spec.derivedName(number: number))) {
                number = (number ?? 0) + 1
            }
            r.spec.name = r.spec.derivedName(number: number)
            taken.insert(QualifiedName(schema: r.spec.table.schema, name: r.spec.name!))
            return r
        }
    }

    /// Why statement `i` has no candidate left: the rejections of the candidates it suggested.
    private func noCandidateReason(_ i: Int, _ generated: CandidateGenerator.Output) -> String {
        let own = generated.rejections.indices.filter { generated.rejectedFor[$0].contains(i) }
        guard !own.isEmpty else { return "no index candidate" }
        return "no index candidate left: " + own.map { j in
            "\(generated.rejections[j].display) \(generated.rejections[j].reason)"
        }.joined(separator: "; ")
    }
}
