/// The planner's plan for one workload statement as the database stands (no hypothetical
/// index): read on a live server when hypopg is missing, so statistics-based advice still shows
/// what the planner does now — which existing indexes serve each statement, at what cost.
public struct CurrentPlan: Equatable, Sendable {
    public var label: String
    public var queryId: Int64?
    public var text: String
    /// The top plan node's total cost.
    public var cost: Double
    /// Every index the plan scans, sorted.
    public var indexesUsed: [String]

    public init(label: String, queryId: Int64? = nil, text: String, cost: Double, indexesUsed: [String] = []) {
        self.label = label
        self.queryId = queryId
        self.text = text
        self.cost = cost
        self.indexesUsed = indexesUsed
    }
}
