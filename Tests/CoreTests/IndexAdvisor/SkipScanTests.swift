import Core
import Model
import Testing

/// PostgreSQL 18's btree skip scan: `(status, customer_id)` serves `WHERE customer_id = $1`
/// when status has few distinct values, so `(customer_id)` is withheld there — never on 15,
/// never when the leading column has many values or no statistics.
@Suite struct SkipScanTests {
    static let byCustomer = WorkloadStatement(
        label: "q1", queryId: 1, text: "SELECT * FROM shop.orders WHERE customer_id = $1", calls: 1000, meanMs: 20)

    static func snapshot(version: Int, leading: String = "status", stats: [ColumnStats] = IndexExamplesForTests.ordersStats) -> Snapshot {
        Example.snapshot(
            versionNumber: version, tables: [IndexExamplesForTests.orders],
            indexes: [
                Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true),
                Example.index("shop.orders_lead_customer_idx", on: "shop.orders", columns: [leading, "customer_id"]),
            ],
            columnStats: stats)
    }

    static func advise(_ snapshot: Snapshot) -> IndexAdvice {
        let model = PriceListCostModel(prices: ["q1": ["shop.orders (customer_id)": 10]])
        return IndexAdvisor().advise(snapshot: snapshot, workload: [byCustomer], model: model)
    }

    @Test func postgres18WithholdsTheIndexASkipScanServes() {
        let advice = Self.advise(Self.snapshot(version: 180_001))
        #expect(advice.recommendations.isEmpty, "\(advice.recommendations.map(\.spec.display))")
        let rejection = advice.rejections.first { $0.display == "shop.orders (customer_id)" }
        #expect(rejection?.reason.contains("skip scan of shop.orders_lead_customer_idx") == true, "\(advice.rejections)")
        #expect(rejection?.reason.contains("status has only 3 distinct values") == true, "\(rejection?.reason ?? "")")
    }

    @Test func postgres15StillRecommendsIt() {
        let advice = Self.advise(Self.snapshot(version: 150_008))
        #expect(advice.recommendations.map(\.spec.display) == ["shop.orders (customer_id)"])
    }

    @Test func manyLeadingValuesOrNoStatisticsMeanNoSkipping() {
        // created_at is unique: one descent per row, no better than no index.
        let unique = Self.advise(Self.snapshot(version: 180_001, leading: "created_at"))
        #expect(unique.recommendations.map(\.spec.display) == ["shop.orders (customer_id)"])
        // Without pg_stats for status the planner assumes no skipping.
        let noStats = Self.advise(Self.snapshot(version: 180_001, stats: IndexExamplesForTests.ordersStats.filter { $0.column != "status" }))
        #expect(noStats.recommendations.map(\.spec.display) == ["shop.orders (customer_id)"])
    }
}
