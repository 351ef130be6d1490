/// One node of a plan from `EXPLAIN (FORMAT JSON)`, with its children: the planner's estimates,
/// and with ANALYZE what actually happened.
public struct PlanNode: Codable, Equatable, Sendable {
    /// `Seq Scan`, `Index Scan`, `Sort`, `Hash`, `Hash Join`, `Nested Loop`, `Aggregate` ...
    public var nodeType: String
    /// The table a scan reads.
    public var relation: QualifiedName?
    public var indexName: String?
    /// `Aggregate`'s strategy: `Plain`, `Sorted`, `Hashed`, `Mixed`.
    public var strategy: String?
    public var startupCost: Double
    public var totalCost: Double
    /// Estimated rows per loop.
    public var rows: Double
    /// Estimated average row width in bytes.
    public var width: Int
    /// With ANALYZE: rows per loop and loops.
    public var actualRows: Double?
    public var actualLoops: Double?
    /// With ANALYZE, a Sort's `Sort Space Type` (`Memory` or `Disk`).
    public var sortSpaceType: String?
    /// With ANALYZE, a Hash's batches (more than 1: it spilled to disk).
    public var hashBatches: Int?
    public var children: [PlanNode]

    public init(
        nodeType: String, relation: QualifiedName? = nil, indexName: String? = nil, strategy: String? = nil,
        startupCost: Double = 0, totalCost: Double = 0, rows: Double = 0, width: Int = 0, actualRows: Double? = nil,
        actualLoops: Double? = nil, sortSpaceType: String? = nil, hashBatches: Int? = nil, children: [PlanNode] = []
    ) {
        self.nodeType = nodeType
        self.relation = relation
        self.indexName = indexName
        self.strategy = strategy
        self.startupCost = startupCost
        self.totalCost = totalCost
        self.rows = rows
        self.width = width
        self.actualRows = actualRows
        self.actualLoops = actualLoops
        self.sortSpaceType = sortSpaceType
        self.hashBatches = hashBatches
        self.children = children
    }

    /// This node and every node below it, depth first.
    public var allNodes: [PlanNode] {
        [self] + children.flatMap(\.allNodes)
    }
}
