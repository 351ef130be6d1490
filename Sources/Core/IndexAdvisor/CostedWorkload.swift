import Model

/// The statements the search could cost, in workload order, each with its cost without new
/// indexes and its weight: execution time per day (or since the reset) when every costed
/// statement has timings, else its cost, as statements from a file have no timings.
struct CostedWorkload {
    /// One costed statement: its place among the search's statements, its baseline and weight.
    struct Statement {
        let index: Int
        /// The cost without new indexes, at least 0.001 so shares of it stay finite.
        let baseline: Double
        let weight: Double
    }

    let statements: [Statement]
    /// true when the weights are execution times, so write overhead (also a time) counts against them.
    let timed: Bool
    private let byIndex: [Int: Statement]
    private let readersByTable: [QualifiedName: [Statement]]

    /// `baselines` are (place, baseline) in workload order; `statementDays` is the window of
    /// the timings.
    init(statements analyzed: [AnalyzedStatement], baselines: [(index: Int, cost: Double)], statementDays: Double?) {
        let timed = baselines.allSatisfy { analyzed[$0.index].statement.totalMs != nil }
        statements = baselines.map { q, baseline in
            var weight = baseline
            if timed, let total = analyzed[q].statement.totalMs {
                weight = max(total, 0.001) / (statementDays ?? 1)
            }
            return Statement(index: q, baseline: baseline, weight: weight)
        }
        self.timed = timed
        byIndex = Dictionary(uniqueKeysWithValues: statements.map { ($0.index, $0) })
        var readers: [QualifiedName: [Statement]] = [:]
        for s in statements { for table in analyzed[s.index].tables { readers[table, default: []].append(s) } }
        readersByTable = readers
    }

    var isEmpty: Bool { statements.isEmpty }

    /// The costed statements reading `table`, in order.
    func readers(of table: QualifiedName) -> [Statement] { readersByTable[table] ?? [] }

    /// The weight of the statement at `index`; 0 for one that could not be costed.
    func weight(of index: Int) -> Double { byIndex[index]?.weight ?? 0 }

    /// Σ weight over the costed statements, in order.
    var totalWeight: Double { statements.reduce(0) { $0 + $1.weight } }
}
