import Core
import Model
import Testing

@Suite struct AuditorMergeTests {
    static let orders = QualifiedName(schema: "shop", name: "orders")

    static func finding(_ rule: String, _ target: Target, _ spec: IndexSpec, score: Double) -> Finding {
        Finding(rule: rule, severity: .warning, target: target, message: "\(rule) message.", evidence: [],
                remediations: [.createIndex(spec)], impact: Impact(score: score, summary: ""), notes: [])
    }

    @Test func aForeignKeyIndexFoldsIntoTheAdvisedIndexLeadingWithItsColumn() {
        let fk = Self.finding("unindexed-foreign-key", .column(Self.orders, "customer_id"),
                              IndexSpec(table: Self.orders, columns: ["customer_id"]), score: 0.9)
        let advised = Self.finding("missing-index", .relation(Self.orders),
                                   IndexSpec(table: Self.orders, columns: ["customer_id", "created_at"]), score: 0.1)
        let merged = Auditor.merge([fk, advised])
        #expect(merged.map(\.rule) == ["missing-index"])
        #expect(merged.first?.notes == ["Also reported by unindexed-foreign-key: unindexed-foreign-key message. This index serves it too."])
    }

    @Test func indexesThatDoNotLeadWithTheColumnsStaySeparate() {
        let fk = Self.finding("unindexed-foreign-key", .column(Self.orders, "customer_id"),
                              IndexSpec(table: Self.orders, columns: ["customer_id"]), score: 0.9)
        let other = Self.finding("missing-index", .relation(Self.orders),
                                 IndexSpec(table: Self.orders, columns: ["status", "customer_id"]), score: 0.1)
        let partial = Self.finding("missing-index", .relation(Self.orders),
                                   IndexSpec(table: Self.orders, columns: ["customer_id", "id"], predicate: "status = 'open'"), score: 0.2)
        #expect(Auditor.merge([fk, partial, other]).count == 3)
    }
}
