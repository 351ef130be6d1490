import Core
import Model
import Testing

/// A planner that cannot reach one table: every costing or sizing on it fails as a
/// lock_timeout would, the rest is priced by `PriceListCostModel`.
final class LockedTableCostModel: IndexCostModel {
    let verified = true
    let inner: PriceListCostModel
    let locked: QualifiedName

    /// When false, the statements cost as usual and only sizing a candidate meets the lock
    /// (the lock taken after the baselines were costed).
    let lockedForStatements: Bool

    init(locked: QualifiedName, prices: [String: [String: Double]], lockedForStatements: Bool = true) {
        self.locked = locked
        self.lockedForStatements = lockedForStatements
        inner = PriceListCostModel(prices: prices)
    }

    var explainCalls: Int { inner.explainCalls }

    func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost {
        if lockedForStatements, statement.tables.contains(locked) { throw LockedTablesError(tables: [locked]) }
        return try inner.estimate(statement, with: indexes)
    }

    func size(of index: IndexSpec) throws -> Int64 {
        if index.table == locked { throw LockedTablesError(tables: [locked]) }
        return try inner.size(of: index)
    }
}

/// Tables the planner could not cost because another session held them locked: named, and
/// advised from statistics, marked unverified, instead of silently left out.
@Suite struct LockedTablesTests {
    static let orders = QualifiedName(schema: "shop", name: "orders")

    @Test func aLockedTableIsNamedAndAdvisedFromStatistics() {
        let model = LockedTableCostModel(locked: Self.orders, prices: [:])
        let advice = IndexAdvisor().advise(
            snapshot: IndexAdvisorTests.snapshot(), workload: [IndexAdvisorTests.byCustomerSince], model: model)
        #expect(advice.verified)
        #expect(advice.lockedTables == [Self.orders])
        #expect(advice.recommendations.map { $0.spec.display } == ["shop.orders (customer_id, created_at)"])
        let recommendation = try! #require(advice.recommendations.first)
        #expect(recommendation.estimatedFromStatistics)
        #expect(!advice.isVerified(recommendation))
        #expect(advice.notes.contains { $0.contains("table shop.orders was locked by another session") && $0.contains("55P03") },
                "\(advice.notes)")
        #expect(advice.skippedStatements.contains { $0.reason.contains("locked by another session") })
    }

    @Test func aLockMetOnlyWhileSizingStillGetsTheTableAdvisedFromStatistics() {
        let model = LockedTableCostModel(locked: Self.orders, prices: [:], lockedForStatements: false)
        let advice = IndexAdvisor().advise(
            snapshot: IndexAdvisorTests.snapshot(), workload: [IndexAdvisorTests.byCustomerSince], model: model)
        #expect(advice.lockedTables == [Self.orders])
        #expect(advice.recommendations.map { $0.spec.display } == ["shop.orders (customer_id, created_at)"])
        #expect(advice.recommendations.allSatisfy { $0.estimatedFromStatistics })
    }

    @Test func theStatisticsFallbackKeepsWithinMaxIndexes() {
        let model = LockedTableCostModel(locked: Self.orders, prices: [:])
        let advice = IndexAdvisor(options: IndexAdvisorOptions(maxIndexes: 1)).advise(
            snapshot: IndexAdvisorTests.snapshot(), workload: [IndexAdvisorTests.byCustomerSince], model: model)
        #expect(advice.recommendations.count <= 1)
    }

    @Test func theAuditNamesALockedTableEvenWithoutAnEstimate() {
        var advice = IndexAdvice(verified: true)
        advice.lockedTables = [Self.orders]
        var auditor = Auditor()
        auditor.indexAdvice = advice
        let findings = auditor.run(IndexAdvisorTests.snapshot()).findings.filter { $0.rule == "missing-index" }
        #expect(findings.count == 1)
        #expect(findings.first?.target == .relation(Self.orders))
        #expect(findings.first?.message.contains("could not cost the statements on shop.orders") == true, "\(findings)")
    }
}
