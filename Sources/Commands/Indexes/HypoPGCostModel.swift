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
    /// Parameter types that the server could plan with, by statement text, when the statement's
    /// own left it unable to.
    private var untypedFallback: [String: [String?]] = [:]

    init(session: WhatIfSession) {
        self.session = session
    }

    var explainCalls: Int { session.explainCalls }

    func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost {
        try arrange(indexes)
        let plan = try explain(statement)
        let names = Set(plan.indexesUsed)
        return PlanCost(cost: plan.totalCost, used: indexes.filter { live[$0].map { names.contains($0.name) } ?? false })
    }

    /// The plan of the statement's generic form. A parameter whose type nothing in the statement
    /// gives (`$1 IS NULL`, `$4 - $5`, `CASE ... THEN $3 ELSE $4 END`) is left to the server,
    /// which may fail to choose: then those in arithmetic or CASE results are declared numeric
    /// (pg_stat_statements puts them where number constants were), else all of them text, and
    /// the types that worked are kept for the statement's next costings.
    private func explain(_ statement: AnalyzedStatement) throws -> PlanEstimate {
        if let types = untypedFallback[statement.text] {
            return try session.explain(statement.text, parameterTypes: types)
        }
        do {
            return try session.explain(statement.text, parameterTypes: statement.parameterTypes)
        } catch let error as ConnectorError where Self.untypedParameterStates.contains(error.sqlState ?? "")
            && statement.parameterTypes.contains(nil) {
            let numeric = statement.parameterTypes.enumerated().map { index, type in
                type ?? (statement.arithmeticParameters.contains(index + 1) ? "numeric" : nil)
            }
            for types in [numeric, statement.parameterTypes.map { $0 ?? "text" }] where types != statement.parameterTypes {
                guard let plan = try? session.explain(statement.text, parameterTypes: types) else { continue }
                untypedFallback[statement.text] = types
                return plan
            }
            throw error
        }
    }

    /// Could not determine a parameter's type, no operator or function for unknown arguments,
    /// an ambiguous one.
    private static let untypedParameterStates: Set<String> = [
        SQLState.indeterminateDatatype, SQLState.undefinedFunction, SQLState.ambiguousFunction, SQLState.datatypeMismatch,
    ]

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
