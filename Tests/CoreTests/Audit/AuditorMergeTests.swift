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

    @Test func theSurvivorKeepsTheHigherSeverityAndTheFoldedNotes() {
        var fk = Self.finding("unindexed-foreign-key", .column(Self.orders, "customer_id"),
                              IndexSpec(table: Self.orders, columns: ["customer_id"]), score: 0.9)
        fk.notes = ["Check the cascade."]
        var advised = Self.finding("missing-index", .relation(Self.orders),
                                   IndexSpec(table: Self.orders, columns: ["customer_id", "created_at"]), score: 0.1)
        advised.severity = .info
        let merged = Auditor.merge(Auditor.rank([fk, advised]))
        #expect(merged.count == 1)
        #expect(merged.first?.severity == .warning)
        #expect(merged.first?.impact.score == 0.9)
        #expect(merged.first?.notes.last == "Check the cascade.")
    }

    @Test func anAdvisedIndexFoldsOnlyIntoOneLeadingWithItsKeysInOrder() {
        let reversed = Self.finding("missing-index", .relation(Self.orders),
                                    IndexSpec(table: Self.orders, columns: ["created_at", "customer_id"]), score: 0.2)
        let advised = Self.finding("missing-index", .relation(Self.orders),
                                   IndexSpec(table: Self.orders, columns: ["customer_id", "created_at", "id"]), score: 0.1)
        let pattern = Self.finding("missing-index", .relation(Self.orders),
                                   IndexSpec(table: Self.orders, keys: [IndexKey(column: "customer_id", opclass: "text_pattern_ops")]), score: 0.3)
        #expect(Auditor.merge([pattern, reversed, advised]).count == 3)
        let prefix = Self.finding("missing-index", .relation(Self.orders),
                                  IndexSpec(table: Self.orders, columns: ["customer_id", "created_at"]), score: 0.2)
        #expect(Auditor.merge([prefix, advised]).map(\.impact.score) == [0.2])
    }

    @Test func twoFindingsCreatingTheSameIndexBecomeOne() {
        let fk = Self.finding("unindexed-foreign-key", .column(Self.orders, "customer_id"),
                              IndexSpec(table: Self.orders, columns: ["customer_id"]), score: 0.9)
        let advised = Self.finding("missing-index", .relation(Self.orders),
                                   IndexSpec(table: Self.orders, columns: ["customer_id"]), score: 0.1)
        let merged = Auditor.merge([fk, advised])
        #expect(merged.map(\.rule) == ["unindexed-foreign-key"])
        #expect(merged.first?.notes.first?.hasPrefix("Also reported by missing-index") == true)
    }
}
