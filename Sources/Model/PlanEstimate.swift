/// The planner's estimate for one statement under one set of (hypothetical) indexes: the top
/// plan node's costs and every index the plan scans.
public struct PlanEstimate: Codable, Equatable, Sendable {
    public var startupCost: Double
    public var totalCost: Double
    /// Estimated rows of the top node.
    public var rows: Double
    /// `Index Name` of every index scan, index-only scan and bitmap index scan in the plan,
    /// including hypothetical ones (`<13556>btree_orders_customer_id`), sorted, without duplicates.
    public var indexesUsed: [String]

    public init(startupCost: Double, totalCost: Double, rows: Double, indexesUsed: [String] = []) {
        self.startupCost = startupCost
        self.totalCost = totalCost
        self.rows = rows
        self.indexesUsed = indexesUsed
    }
}
