@testable import Core
import Model
import Testing

@Suite struct UnindexedForeignKeyRuleTests {
    @Test func notNullPredicates() {
        let columns = ["customer_id", "Zone"]
        #expect(UnindexedForeignKeyRule.isNotNullPredicate("(customer_id IS NOT NULL)", columns: columns))
        #expect(UnindexedForeignKeyRule.isNotNullPredicate("customer_id is not null", columns: columns))
        #expect(UnindexedForeignKeyRule.isNotNullPredicate("((customer_id   IS NOT NULL))", columns: columns))
        #expect(UnindexedForeignKeyRule.isNotNullPredicate(
            "((customer_id IS NOT NULL) AND (\"Zone\" IS NOT NULL))", columns: columns))
        #expect(!UnindexedForeignKeyRule.isNotNullPredicate("(zone IS NOT NULL)", columns: columns), "quoted name differs")
        #expect(!UnindexedForeignKeyRule.isNotNullPredicate("(status IS NOT NULL)", columns: columns))
        #expect(!UnindexedForeignKeyRule.isNotNullPredicate("(customer_id IS NULL)", columns: columns))
        #expect(!UnindexedForeignKeyRule.isNotNullPredicate(
            "((customer_id IS NOT NULL) OR (status = 'x'::text))", columns: columns))
        #expect(!UnindexedForeignKeyRule.isNotNullPredicate(
            "((customer_id IS NOT NULL) AND (status = 'open'::text))", columns: columns))
    }

    @Test func conjunctsRespectParenthesesAndQuotes() {
        #expect(UnindexedForeignKeyRule.conjuncts("((a IS NOT NULL) AND (b > 1))") == ["a IS NOT NULL", "b > 1"])
        #expect(UnindexedForeignKeyRule.conjuncts("(a = 'x and y')") == ["a = 'x and y'"])
        #expect(UnindexedForeignKeyRule.conjuncts("(a > 1) OR (b > 1)") == ["(a > 1) OR (b > 1)"])
        #expect(UnindexedForeignKeyRule.stripParentheses("(a) AND (b)") == "(a) AND (b)")
    }

    @Test func whichIndexesServeTheCheck() {
        let fk = ["warehouse_id", "zone"]
        func index(_ columns: [String], predicate: String? = nil, valid: Bool = true, method: String = "btree") -> IndexInfo {
            Example.index("shop.i", on: "shop.shipments", columns: columns, valid: valid, predicate: predicate, method: method)
        }
        #expect(UnindexedForeignKeyRule.serves(index(["zone", "warehouse_id"]), foreignKey: fk))
        #expect(UnindexedForeignKeyRule.serves(index(["warehouse_id", "zone", "shipped_at"]), foreignKey: fk))
        #expect(!UnindexedForeignKeyRule.serves(index(["warehouse_id"]), foreignKey: fk))
        #expect(!UnindexedForeignKeyRule.serves(index(["warehouse_id", "shipped_at", "zone"]), foreignKey: fk))
        #expect(!UnindexedForeignKeyRule.serves(index(["warehouse_id", "zone"], valid: false), foreignKey: fk))
        #expect(!UnindexedForeignKeyRule.serves(index(["warehouse_id", "zone"], method: "hash"), foreignKey: fk))
        #expect(UnindexedForeignKeyRule.serves(index(["warehouse_id", "zone"], predicate: "(zone IS NOT NULL)"), foreignKey: fk))
        #expect(!UnindexedForeignKeyRule.serves(index(["warehouse_id", "zone"], predicate: "(zone > 3)"), foreignKey: fk))
        let include = IndexExamples.modified(index(["warehouse_id", "zone"])) { $0.columns[1].isKey = false }
        #expect(!UnindexedForeignKeyRule.serves(include, foreignKey: fk), "INCLUDE columns are not keys")
        let locked = IndexExamples.modified(index(["warehouse_id", "zone"], predicate: "(zone > 3)")) {
            $0.definition = nil
            $0.predicate = nil
        }
        #expect(UnindexedForeignKeyRule.serves(locked, foreignKey: fk), "unknown predicate: benefit of the doubt")
    }

    @Test func findingNamesTheConstraintAndProposesTheIndex() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table("shop.customers", rows: 50_000), Example.table("shop.orders", rows: 300_000)],
            indexes: [Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true)],
            constraints: [IndexExamples.foreignKey(
                "orders_customer_id_fkey", on: "shop.orders", columns: ["customer_id"], references: "shop.customers",
                parentColumns: ["id"])])
        let finding = try #require(Auditor(rules: [UnindexedForeignKeyRule.self]).run(snapshot).findings.first)
        let orders = QualifiedName(schema: "shop", name: "orders")
        #expect(finding.target == .column(orders, "customer_id"))
        #expect(finding.remediations == [.createIndex(IndexSpec(table: orders, columns: ["customer_id"]))])
        #expect(finding.evidence("constraint") == .text("orders_customer_id_fkey"))
        #expect(finding.evidence("tableRows") == .count(300_000))
        #expect(finding.message.contains("orders_customer_id_fkey"))
    }

    @Test func thresholdsAreOrNotAnd() {
        let fk = IndexExamples.foreignKey("c_p_fkey", on: "shop.c", columns: ["p_id"], references: "shop.p", parentColumns: ["id"])
        func run(childRows: Double, parentDeletes: Int64) -> Int {
            let snapshot = Example.snapshot(
                tables: [
                    Example.table("shop.c", rows: childRows),
                    Example.table("shop.p", rows: 100, activity: IndexExamples.activity(
                        rows: 100, seqScans: 0, indexScans: 10, updated: 0, deleted: parentDeletes)),
                ],
                constraints: [fk])
            return Auditor(rules: [UnindexedForeignKeyRule.self]).run(snapshot).findings.count
        }
        #expect(run(childRows: 999, parentDeletes: 999) == 0)
        #expect(run(childRows: 1000, parentDeletes: 0) == 1)
        #expect(run(childRows: 10, parentDeletes: 1000) == 1)
    }

    @Test func partitionsOfAReportedPartitionedTableAreNotRepeated() {
        var parent = Example.table("shop.events", rows: 0)
        parent.kind = .partitioned
        parent.activity = nil
        var p1 = Example.table("shop.events_2025", rows: 40_000)
        p1.partitionOf = parent.qualifiedName
        var p2 = Example.table("shop.events_2026", rows: 30_000)
        p2.partitionOf = parent.qualifiedName
        let fks = ["shop.events", "shop.events_2025", "shop.events_2026"].map {
            IndexExamples.foreignKey("events_user_id_fkey", on: $0, columns: ["user_id"], references: "shop.users",
                                     parentColumns: ["id"])
        }
        let snapshot = Example.snapshot(tables: [parent, p1, p2], constraints: fks)
        let findings = Auditor(rules: [UnindexedForeignKeyRule.self]).run(snapshot).findings
        #expect(findings.map(\.target) == [.column(parent.qualifiedName, "user_id")])
        #expect(findings.first?.evidence("tableRows") == .count(70_000), "a partitioned table counts its partitions")
    }
}
