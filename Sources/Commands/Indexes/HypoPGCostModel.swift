import Connector
import Core
import Model
import Planner

/// The verified cost model: the server's planner with hypopg's hypothetical indexes, on the
/// reading session. Before each EXPLAIN the session's hypothetical indexes are made exactly
/// the set asked for, so a cached costing always matches what the planner saw.
final class HypoPGCostModel: IndexCostModel {
    let verified = true
    private let session: WhatIfSession
    /// The hypothetical indexes alive in the session now.
    private var live: [IndexSpec: HypotheticalIndex] = [:]
    private var sizes: [IndexSpec: Int64] = [:]

    init(session: WhatIfSession) {
        self.session = session
    }

    var explainCalls: Int { session.explainCalls }

    /// How the generic plans were read, once any was (`PlanExplainer.Method`).
    var explainMethod: String? {
        if session.explainer.genericPlanExplains > 0 { return PlanExplainer.Method.genericPlanOption.rawValue }
        if session.explainer.preparedExplains > 0 { return PlanExplainer.Method.preparedStatement.rawValue }
        return nil
    }

    func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost {
        try arrange(indexes)
        let plan: PlanEstimate
        do {
            plan = try session.explain(statement.text, parameterTypes: statement.parameterTypes)
        } catch let error as ConnectorError where error.sqlState == SQLState.indeterminateDatatype {
            // `$1 IS NULL` and the like give the server nothing to infer from: text will do for a plan.
            plan = try session.explain(statement.text, parameterTypes: statement.parameterTypes.map { $0 ?? "text" })
        }
        let names = Set(plan.indexesUsed)
        return PlanCost(cost: plan.totalCost, used: indexes.filter { live[$0].map { names.contains($0.name) } ?? false })
    }

    func size(of index: IndexSpec) throws -> Int64 {
        if let size = sizes[index] { return size }
        let created = try live[index] ?? session.createIndex(RemediationSQL.hypotheticalIndex(index))
        live[index] = created
        sizes[index] = created.estimatedBytes
        return created.estimatedBytes
    }

    /// Drops the hypothetical indexes not in `wanted` and creates the missing ones.
    private func arrange(_ wanted: [IndexSpec]) throws {
        let keep = Set(wanted)
        for (spec, index) in live where !keep.contains(spec) {
            try session.dropIndex(index)
            live[spec] = nil
        }
        for spec in wanted where live[spec] == nil {
            let created = try session.createIndex(RemediationSQL.hypotheticalIndex(spec))
            live[spec] = created
            sizes[spec] = created.estimatedBytes
        }
    }

    /// Removes every hypothetical index (they would vanish with the session anyway).
    func finish() {
        try? session.reset()
        live = [:]
    }
}
