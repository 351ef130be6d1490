import Foundation
import Model

/// One plan of `EXPLAIN (FORMAT JSON)` output, reduced to what what-if costing reads.
struct ExplainPlan: Decodable {
    /// A plan node: its estimates, the index it scans (index, index-only and bitmap index scans)
    /// and its children (including init plans and subplans).
    struct Node: Decodable {
        let startupCost: Double
        let totalCost: Double
        let planRows: Double
        let indexName: String?
        let plans: [Node]?

        enum CodingKeys: String, CodingKey {
            case startupCost = "Startup Cost"
            case totalCost = "Total Cost"
            case planRows = "Plan Rows"
            case indexName = "Index Name"
            case plans = "Plans"
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
        return PlanEstimate(startupCost: top.startupCost, totalCost: top.totalCost, rows: top.planRows,
                            indexesUsed: Set(top.indexNames).sorted())
    }
}
