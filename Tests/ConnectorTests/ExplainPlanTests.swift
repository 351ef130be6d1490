import Foundation
import Model
import Testing
@testable import Connector

struct ExplainPlanTests {
    @Test func readsTheTopNodeAndEveryScannedIndex() throws {
        let json = """
            [{"Plan": {"Node Type": "Nested Loop", "Startup Cost": 4.5, "Total Cost": 120.25, "Plan Rows": 12,
              "Plans": [
                {"Node Type": "Bitmap Heap Scan", "Startup Cost": 4.3, "Total Cost": 40, "Plan Rows": 10,
                 "Plans": [{"Node Type": "Bitmap Index Scan", "Index Name": "<13556>btree_t_a",
                            "Startup Cost": 0, "Total Cost": 4.3, "Plan Rows": 10}]},
                {"Node Type": "Index Only Scan", "Index Name": "orders_pkey", "Parent Relationship": "Inner",
                 "Startup Cost": 0.2, "Total Cost": 8, "Plan Rows": 1},
                {"Node Type": "Index Scan", "Index Name": "<13556>btree_t_a", "Parent Relationship": "SubPlan",
                 "Startup Cost": 0.2, "Total Cost": 8, "Plan Rows": 1}]},
              "Planning": {"Shared Hit Blocks": 3}}]
            """
        let estimate = try ExplainPlan.estimate(fromJSON: json)
        #expect(estimate == PlanEstimate(startupCost: 4.5, totalCost: 120.25, rows: 12,
                                         indexesUsed: ["<13556>btree_t_a", "orders_pkey"]))
    }

    @Test func unreadablePlansAreDecodingErrors() {
        for json in ["", "[]", #"[{"Plan": {"Node Type": "Result"}}]"#] {
            do {
                _ = try ExplainPlan.estimate(fromJSON: json)
                Issue.record("\(json) should not decode")
            } catch let error as ConnectorError {
                #expect(error.kind == .decoding)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
