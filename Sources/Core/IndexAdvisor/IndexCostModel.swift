import Model

/// Costs statements under sets of hypothetical indexes: the server's planner through hypopg
/// (verified), or pgadvisor's estimate from `pg_stats` (``StatisticsCostModel``).
public protocol IndexCostModel: AnyObject {
    /// true when the costs come from the server's planner.
    var verified: Bool { get }
    /// EXPLAIN statements sent to the server so far.
    var explainCalls: Int { get }
    /// The statement's cost with `indexes` added to the existing ones, and which of them its
    /// plan uses. `indexes` are all on tables the statement reads.
    func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost
    /// The index's estimated size in bytes.
    func size(of index: IndexSpec) throws -> Int64
}

/// One costing: the plan's total cost and the added indexes it uses.
public struct PlanCost: Equatable, Sendable {
    public var cost: Double
    public var used: [IndexSpec]

    public init(cost: Double, used: [IndexSpec]) {
        self.cost = cost
        self.used = used
    }
}
