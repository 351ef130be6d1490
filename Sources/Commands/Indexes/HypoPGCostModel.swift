import Connector
import Core
import Model
import Planner

/// The verified cost model: the server's planner with hypopg's hypothetical indexes, on the
/// reading session. Before each EXPLAIN the session's hypothetical indexes are made exactly
/// the set asked for, so a cached costing always matches what the planner saw.
///
/// A table another session holds locked past lock_timeout is remembered: the statements and
/// candidates on it fail at once with ``LockedTablesError`` instead of waiting again.
final class HypoPGCostModel: IndexCostModel {
    let verified = true
    private let session: WhatIfSession
    /// The hypothetical indexes alive in the session now.
    private var live: [IndexSpec: HypotheticalIndex] = [:]
    private var sizes: [IndexSpec: Int64] = [:]
    /// Tables found locked by another session.
    private var locked: Set<QualifiedName> = []
    /// The error that ended the session (server stopped, connection dropped): the advice
    /// built after it would be incomplete, so the caller fails with it instead.
    private(set) var lostConnection: ConnectorError?
    /// Parameter types that the server could plan with, by statement text, when the statement's
    /// own left it unable to.
    private var untypedFallback: [String: [String?]] = [:]

    init(session: WhatIfSession) {
        self.session = session
    }

    var explainCalls: Int { session.explainCalls }

    /// How the generic plans were read, once any was (`PlanExplainer.Method`).
    var explainMethod: String? { session.explainer.usedMethod?.rawValue }

    func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost {
        try failingOnLocks(Set(statement.tables)) {
            try arrange(indexes)
            let plan = try explain(statement)
            let names = Set(plan.indexesUsed)
            return PlanCost(cost: plan.totalCost, used: indexes.filter { live[$0].map { names.contains($0.name) } ?? false })
        }
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
        let created = try failingOnLocks([index.table]) {
            try live[index] ?? session.createIndex(RemediationSQL.hypotheticalIndex(index))
        }
        live[index] = created
        sizes[index] = created.estimatedBytes
        return created.estimatedBytes
    }

    /// Runs `work` on `tables`, unless one is known to be locked; a lock_timeout names the
    /// tables another session holds (all of `tables` when the lock is gone already).
    private func failingOnLocks<T>(_ tables: Set<QualifiedName>, _ work: () throws -> T) throws -> T {
        let known = tables.intersection(locked)
        guard known.isEmpty else { throw LockedTablesError(tables: Array(known)) }
        if let lostConnection { throw lostConnection }
        do {
            return try work()
        } catch let error as ConnectorError where error.kind == .connection {
            lostConnection = error
            throw error
        } catch let error as ConnectorError where error.sqlState == SQLState.lockNotAvailable {
            let holding = (try? session.tablesLockedByOthers()).map { tables.intersection($0) } ?? []
            let named = holding.isEmpty ? tables : holding
            locked.formUnion(named)
            throw LockedTablesError(tables: Array(named))
        }
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
