import Foundation
import Model

/// One plan of `EXPLAIN (FORMAT JSON)` output, reduced to what what-if costing and the
/// pre-release review read.
struct ExplainPlan: Decodable {
    /// A plan node: its estimates, the index it scans (index, index-only and bitmap index scans)
    /// and its children (including init plans and subplans).
    struct Node: Decodable {
        let startupCost: Double
        let totalCost: Double
        let planRows: Double
        let indexName: String?
        let plans: [Node]?
        let nodeType: String?
        let relationName: String?
        let schema: String?
        let strategy: String?
        let planWidth: Int?
        let actualRows: Double?
        let actualLoops: Double?
        let sortSpaceType: String?
        let hashBatches: Int?

        enum CodingKeys: String, CodingKey {
            case startupCost = "Startup Cost"
            case totalCost = "Total Cost"
            case planRows = "Plan Rows"
            case indexName = "Index Name"
            case plans = "Plans"
            case nodeType = "Node Type"
            case relationName = "Relation Name"
            case schema = "Schema"
            case strategy = "Strategy"
            case planWidth = "Plan Width"
            case actualRows = "Actual Rows"
            case actualLoops = "Actual Loops"
            case sortSpaceType = "Sort Space Type"
            case hashBatches = "Hash Batches"
        }

        /// The node and its children as the model's plan tree.
        var tree: PlanNode {
            PlanNode(
                nodeType: nodeType ?? "?", relation: relationName.map { QualifiedName(schema: schema ?? "", name: $0) },
                indexName: indexName, strategy: strategy, startupCost: startupCost, totalCost: totalCost, rows: planRows,
                width: planWidth ?? 0, actualRows: actualRows, actualLoops: actualLoops, sortSpaceType: sortSpaceType,
                hashBatches: hashBatches, children: (plans ?? []).map(\.tree))
        }

        /// Every `Index Name` in this node and below it.
        var indexNames: [String] {
            (indexName.map { [$0] } ?? []) + (plans ?? []).flatMap(\.indexNames)
        }
    }

    let plan: Node

    enum CodingKeys: String, CodingKey {
        case plan = "Plan"
    }

    /// Reads the single cell `EXPLAIN (FORMAT JSON)` returns (an array holding one plan).
    static func estimate(fromJSON text: String) throws -> PlanEstimate {
        let top = try root(fromJSON: text)
        return PlanEstimate(startupCost: top.startupCost, totalCost: top.totalCost, rows: top.planRows,
                            indexesUsed: Set(top.indexNames).sorted())
    }

    /// The whole plan tree of the cell `EXPLAIN (FORMAT JSON)` returns.
    static func tree(fromJSON text: String) throws -> PlanNode {
        try root(fromJSON: text).tree
    }

    private static func root(fromJSON text: String) throws -> Node {
        let plans: [ExplainPlan]
        do {
            plans = try JSONDecoder().decode([ExplainPlan].self, from: Data(text.utf8))
        } catch {
            throw ConnectorError(kind: .decoding, message: "EXPLAIN returned a plan pgadvisor cannot read",
                                 advice: "please report it with the server version")
        }
        guard let top = plans.first?.plan else {
            throw ConnectorError(kind: .decoding, message: "EXPLAIN returned no plan",
                                 advice: "please report it with the server version")
        }
        return top
    }
}
