import Core
import Model
import Testing

/// A cost model with a fixed price list: each statement costs its baseline, or the cost listed
/// for the cheapest index of the configuration (the plan "uses" that one). It lets the search
/// be tested exactly, without a server.
final class PriceListCostModel: IndexCostModel {
    let verified = true
    private(set) var explainCalls = 0
    /// statement label → index display → cost with that index.
    let prices: [String: [String: Double]]
    let baseline: Double
    let sizes: [String: Int64]

    init(baseline: Double = 1000, prices: [String: [String: Double]], sizes: [String: Int64] = [:]) {
        self.baseline = baseline
        self.prices = prices
        self.sizes = sizes
    }

    func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost {
        explainCalls += 1
        let list = prices[statement.statement.label] ?? [:]
        var best = (cost: baseline, index: IndexSpec?.none)
        for index in indexes {
            if let cost = list[index.display], cost < best.cost { best = (cost, index) }
        }
        return PlanCost(cost: best.cost, used: best.index.map { [$0] } ?? [])
    }

    func size(of index: IndexSpec) throws -> Int64 { sizes[index.display] ?? 8 << 20 }
}

@Suite struct IndexAdvisorTests {
    static let orders = IndexExamplesForTests.orders

    static func snapshot(writes: Int64 = 1000, extraIndexes: [IndexInfo] = []) -> Snapshot {
        var table = orders
        table.activity?.inserted = writes
        return Example.snapshot(
            tables: [table],
            indexes: [Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true)] + extraIndexes,
            columnStats: IndexExamplesForTests.ordersStats)
    }

    static let byCustomer = WorkloadStatement(
        label: "q1", queryId: 1, text: "SELECT * FROM shop.orders WHERE customer_id = $1", calls: 1000, meanMs: 20)
    static let byCustomerSince = WorkloadStatement(
        label: "q2", queryId: 2, text: "SELECT * FROM shop.orders o WHERE o.customer_id = $1 AND o.created_at >= $2",
        calls: 1000, meanMs: 20)

    @Test func oneWiderIndexServesTwoStatementsAndTheNarrowOneIsRejectedNamingIt() {
        let model = PriceListCostModel(prices: [
            "q1": ["shop.orders (customer_id)": 10, "shop.orders (customer_id, created_at)": 11],
            "q2": ["shop.orders (customer_id)": 100, "shop.orders (customer_id, created_at)": 5],
        ])
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(), workload: [Self.byCustomer, Self.byCustomerSince], model: model)
        #expect(advice.recommendations.map { $0.spec.display } == ["shop.orders (customer_id, created_at)"])
        let served = advice.recommendations.first?.statements.map(\.label)
        #expect(served == ["q1", "q2"] || served == ["q2", "q1"])
        let narrow = advice.rejections.first { $0.display == "shop.orders (customer_id)" }
        #expect(narrow?.reason.contains("once shop.orders (customer_id, created_at) exists") == true, "\(advice.rejections)")
        #expect(advice.verified)
        #expect(advice.explainCalls == model.explainCalls)
        #expect(advice.relativeCost < 0.02)
    }

    @Test func columnOrderIsEqualityThenRange() {
        let model = PriceListCostModel(prices: ["q2": ["shop.orders (customer_id, created_at)": 5]])
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(), workload: [Self.byCustomerSince], model: model)
        #expect(advice.recommendations.map(\.spec.keys) == [[.column("customer_id"), .column("created_at")]])
        let b = advice.recommendations.first?.statements.first
        #expect(b?.costBefore == 1000)
        #expect(b?.costAfter == 5)
        // 20 ms scaled by the cost cut.
        #expect(abs((b?.savedMsPerCall ?? 0) - 19.9) < 0.001)
    }

    @Test func aCandidateThePlannerDoesNotUseIsRejectedWithTheReason() {
        let model = PriceListCostModel(prices: [:])
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(), workload: [Self.byCustomer], model: model)
        #expect(advice.recommendations.isEmpty)
        #expect(advice.rejections.map(\.reason) == ["the planner uses it for none of the statements (a sequential scan or another index is cheaper)"])
    }

    @Test func smallGainsAreRejectedBelowTheMinimumImprovement() {
        let model = PriceListCostModel(prices: ["q1": ["shop.orders (customer_id)": 950]])
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(), workload: [Self.byCustomer], model: model)
        #expect(advice.recommendations.isEmpty)
        #expect(advice.rejections.map(\.reason) == ["cuts a statement's cost by at most 5.0%, 50.0 cost units (the minimum is 10.0% and 100 cost units)"])
    }

    @Test func writeOverheadCanOutweighTheSaving() {
        // q1 saves ~19 ms × 1000 calls over 30 days; a billion inserts cost far more.
        let model = PriceListCostModel(prices: ["q1": ["shop.orders (customer_id)": 10]])
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(writes: 1_000_000_000), workload: [Self.byCustomer], model: model)
        #expect(advice.recommendations.isEmpty)
        #expect(advice.rejections.first?.reason.contains("write overhead") == true, "\(advice.rejections)")
    }

    @Test func theIndexLimitAndTheSizeBudgetHold() {
        let events = WorkloadStatement(label: "q3", text: "SELECT * FROM shop.orders WHERE status = $1", calls: 10, meanMs: 5)
        let prices = [
            "q1": ["shop.orders (customer_id)": 10.0],
            "q3": ["shop.orders (status)": 50.0],
        ]
        let one = IndexAdvisor(options: IndexAdvisorOptions(maxIndexes: 1))
            .advise(snapshot: Self.snapshot(), workload: [Self.byCustomer, events], model: PriceListCostModel(prices: prices))
        #expect(one.recommendations.map { $0.spec.display } == ["shop.orders (customer_id)"])
        #expect(one.rejections.contains { $0.reason == "the limit of 1 indexes was reached" })
        let small = IndexAdvisor(options: IndexAdvisorOptions(maxBytes: 1 << 20))
            .advise(snapshot: Self.snapshot(), workload: [Self.byCustomer], model: PriceListCostModel(prices: prices))
        #expect(small.recommendations.isEmpty)
        #expect(small.rejections.first?.reason.contains("its estimated size, 8192 kB, exceeds the size budget of 1024 kB") == true, "\(small.rejections.map(\.reason))")
    }

    @Test func aSpentExplainBudgetStopsTheSearchAndSaysSo() {
        let model = PriceListCostModel(prices: [
            "q1": ["shop.orders (customer_id)": 10, "shop.orders (customer_id, created_at)": 11],
            "q2": ["shop.orders (customer_id)": 100, "shop.orders (customer_id, created_at)": 5],
        ])
        let advice = IndexAdvisor(options: IndexAdvisorOptions(maxExplainCalls: 3))
            .advise(snapshot: Self.snapshot(), workload: [Self.byCustomer, Self.byCustomerSince], model: model)
        #expect(advice.rejections.contains { $0.reason == "not costed: the budget of 3 EXPLAIN calls was spent" }, "\(advice.rejections)")
        #expect(advice.explainCalls <= 3 + 4)
    }

    @Test func onlyTheHeaviestStatementsAreAnalyzed() {
        let light = WorkloadStatement(label: "light", text: "SELECT * FROM shop.orders WHERE status = $1", calls: 1, meanMs: 1)
        let advice = IndexAdvisor(options: IndexAdvisorOptions(maxStatements: 1))
            .advise(snapshot: Self.snapshot(), workload: [light, Self.byCustomer], model: PriceListCostModel(prices: [:]))
        #expect(advice.skippedStatements.map(\.statement.label) == ["light"])
        #expect(advice.skippedStatements.first?.reason == "outside the 1 statements with the most execution time")
    }

    @Test func anExistingIndexWithTheSameLeadingKeysServesTheCandidate() {
        let existing = Example.index("shop.orders_customer_id_status_idx", on: "shop.orders", columns: ["customer_id", "status"])
        let advice = IndexAdvisor().advise(
            snapshot: Self.snapshot(extraIndexes: [existing]), workload: [Self.byCustomer],
            model: PriceListCostModel(prices: ["q1": ["shop.orders (customer_id)": 10]]))
        #expect(advice.recommendations.isEmpty)
        #expect(advice.rejections.first?.reason == "already served by shop.orders_customer_id_status_idx (same leading keys)")
    }

    @Test func aMixedOrderByIsNotServedByAnIndexInOneDirection() {
        let existing = Example.index("shop.orders_c_c_i", on: "shop.orders", columns: ["customer_id", "created_at", "id"])
        let statement = WorkloadStatement(
            label: "q", text: "SELECT * FROM shop.orders WHERE customer_id = $1 ORDER BY created_at DESC, id LIMIT 20",
            calls: 100_000, meanMs: 20)
        let advice = IndexAdvisor().advise(
            snapshot: Self.snapshot(extraIndexes: [existing]), workload: [statement],
            model: PriceListCostModel(prices: ["q": ["shop.orders (customer_id, created_at DESC, id)": 5]]))
        #expect(advice.recommendations.map { $0.spec.display } == ["shop.orders (customer_id, created_at DESC, id)"],
                "\(advice.rejections.map { "\($0.display): \($0.reason)" })")
    }

    @Test func aNameTakenInTheSchemaGetsANumberAsPostgreSQLWouldDo() {
        let invalid = Example.index("shop.orders_customer_id_idx", on: "shop.orders", columns: ["customer_id"], valid: false)
        let advice = IndexAdvisor().advise(
            snapshot: Self.snapshot(extraIndexes: [invalid]), workload: [Self.byCustomer],
            model: PriceListCostModel(prices: ["q1": ["shop.orders (customer_id)": 10]]))
        #expect(advice.recommendations.map(\.spec.name) == ["orders_customer_id_idx1"])
    }

    @Test func statementsThatCannotBeServedAreSkippedWithTheReason() {
        let workload = [
            WorkloadStatement(label: "u", text: "VACUUM shop.orders", calls: 3, meanMs: 100),
            WorkloadStatement(label: "bad", text: "SELECT FROM WHERE", calls: 1, meanMs: 1),
            WorkloadStatement(label: "view", text: "SELECT * FROM reporting.daily WHERE day = $1", calls: 5, meanMs: 1),
            WorkloadStatement(label: "ins", text: "INSERT INTO shop.orders (id) VALUES ($1)", calls: 5, meanMs: 1),
        ]
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(), workload: workload, model: PriceListCostModel(prices: [:]))
        let reasons = Dictionary(uniqueKeysWithValues: advice.skippedStatements.map { ($0.statement.label, $0.reason) })
        #expect(reasons["u"] == "utility statement (VacuumStmt): no index serves it")
        #expect(reasons["bad"]?.hasPrefix("not parsed by the PostgreSQL 15 grammar: syntax error") == true, "\(reasons)")
        #expect(reasons["view"]?.contains("reporting.daily") == true, "\(reasons)")
        #expect(reasons["ins"]?.hasPrefix("INSERT ... VALUES reads no table") == true, "\(reasons)")
    }

    @Test func withoutAModelTheStatisticsEstimateIsUnverified() {
        let advice = IndexAdvisor().advise(snapshot: Self.snapshot(), workload: [Self.byCustomerSince])
        #expect(!advice.verified)
        #expect(advice.explainCalls == 0)
        #expect(advice.recommendations.map { $0.spec.display } == ["shop.orders (customer_id, created_at)"])
        #expect(advice.notes.first?.hasPrefix("Unverified: costs are estimated from pg_stats") == true)
    }
}

/// The `shop.orders` fixture: 300,000 rows, 20,000 customers.
enum IndexExamplesForTests {
    static let orders = Example.table("shop.orders", rows: 300_000, rowWidth: 60, columns: [
        Column(name: "id", position: 1, type: "bigint", notNull: true),
        Column(name: "customer_id", position: 2, type: "bigint", notNull: true),
        Column(name: "created_at", position: 3, type: "timestamp with time zone", notNull: true),
        Column(name: "status", position: 4, type: "text", notNull: true),
    ])

    static let ordersStats: [ColumnStats] = [
        ColumnStats(schema: "shop", table: "orders", column: "id", averageWidth: 8, distinctValues: -1, correlation: 1),
        ColumnStats(schema: "shop", table: "orders", column: "customer_id", averageWidth: 8, distinctValues: 20_000, correlation: 0.01),
        ColumnStats(schema: "shop", table: "orders", column: "created_at", averageWidth: 8, distinctValues: -1, correlation: 0.99),
        ColumnStats(schema: "shop", table: "orders", column: "status", averageWidth: 5, distinctValues: 3,
                    mostCommonValues: ["done", "shipped", "open"], mostCommonFrequencies: [0.9, 0.08, 0.02]),
    ]
}

@Suite struct StatementResolutionTests {
    @Test func unqualifiedNamesFollowTheSearchPathAndAliasesResolve() {
        var table = IndexExamplesForTests.orders
        table.schema = "app"
        let snapshot = Example.snapshot(
            settings: [Example.setting("search_path", "\"$user\", app, public", context: "user")],
            tables: [table], indexes: [],
            columnStats: IndexExamplesForTests.ordersStats.map { var s = $0; s.schema = "app"; return s })
        let statement = WorkloadStatement(
            label: "q", text: "SELECT x.id FROM orders AS x WHERE x.status = $1 AND EXISTS (SELECT 1 FROM orders o2 WHERE o2.customer_id = x.customer_id) ORDER BY x.created_at LIMIT 5",
            calls: 100_000, meanMs: 50)
        let advice = IndexAdvisor().advise(snapshot: snapshot, workload: [statement], model: PriceListCostModel(prices: [
            "q": ["app.orders (status, created_at)": 3, "app.orders (customer_id)": 950],
        ]))
        #expect(advice.recommendations.map { $0.spec.display } == ["app.orders (status, created_at)"], "\(advice.rejections.map { "\($0.display): \($0.reason)" }) \(advice.skippedStatements.map(\.reason))")
        // The correlated subquery's join key is a candidate of its own.
        #expect(advice.rejections.contains { $0.display == "app.orders (customer_id)" })
    }
}

extension StatementResolutionTests {
    /// The workload's role has its own search_path (ALTER ROLE app SET search_path = ...): names
    /// resolve through it, not through the auditing session's, and "$user" is that role.
    @Test func unqualifiedNamesFollowTheWorkloadRolesSearchPath() {
        var table = IndexExamplesForTests.orders
        table.schema = "sales"
        var snapshot = Example.snapshot(
            statements: [Example.statement(1, "SELECT * FROM orders WHERE status = $1", calls: 100_000, meanMs: 50)],
            tables: [table], indexes: [],
            columnStats: IndexExamplesForTests.ordersStats.map { var s = $0; s.schema = "sales"; return s })
        let statement = WorkloadStatement.fromSnapshot(snapshot)
        let model = PriceListCostModel(prices: ["query 1": ["sales.orders (status)": 3]])
        #expect(IndexAdvisor().advise(snapshot: snapshot, workload: statement, model: model).recommendations.isEmpty)
        snapshot.roleSettings = [RoleSetting(role: "app", name: "search_path", value: "sales, public")]
        let advice = IndexAdvisor().advise(snapshot: snapshot, workload: statement, model: model)
        #expect(advice.recommendations.map { $0.spec.display } == ["sales.orders (status)"],
                "\(advice.skippedStatements.map(\.reason))")
    }
}

@Suite struct WorkloadStatementTests {
    @Test func statementsOfAFileAreNamedByLine() throws {
        let statements = try WorkloadStatement.fromSQLText("SELECT 1; SELECT 2;\n\nSELECT 3", name: "release.sql")
        #expect(statements.map(\.label) == ["release.sql:1", "release.sql:1#2", "release.sql:3"])
        #expect(statements.allSatisfy { $0.calls == nil && $0.totalMs == nil })
    }

    @Test func snapshotStatementsSkipNestedAndHidden() {
        let snapshot = Example.snapshot(statements: [
            Example.statement(1, "SELECT 1", calls: 5, meanMs: 1),
            StatementStats(queryId: 2, query: "SELECT 2", toplevel: false, calls: 5, totalExecTime: 5),
            StatementStats(queryId: 3, query: nil, calls: 5, totalExecTime: 5),
        ])
        #expect(WorkloadStatement.fromSnapshot(snapshot).map(\.label) == ["query 1"])
    }
}

@Suite struct SearchPathTests {
    @Test func searchPathFoldsUnquotedNamesAndKeepsQuotedOnes() {
        #expect(SettingList.entries(#""$user", App ,  "Tenant ""A""", public"#, foldingCase: true)
                == ["$user", "app", #"Tenant "A""#, "public"])
        #expect(SettingList.entries("").isEmpty)
    }
}
