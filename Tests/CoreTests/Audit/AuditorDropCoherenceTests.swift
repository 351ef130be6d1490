@testable import Core
import Model
import Planner
import Testing

/// The audit's own index drops on the shapes where rules collide, with statistics a month old
/// (so `unused-index` judges every index with no scan): following every fix of the report is
/// safe, and the report keeps the indexes the plan keeps.
@Suite struct AuditorDropCoherenceTests {
    static let orders = "shop.orders"

    static func audit(_ snapshot: Snapshot) -> AuditResult { Auditor().run(snapshot) }

    /// The indexes the report's fixes drop.
    static func dropped(_ result: AuditResult) -> Set<String> {
        Set(result.findings.flatMap { f in f.remediations.compactMap { r in
            if case .dropIndex(let index, _) = r { index.name } else { nil }
        } })
    }

    static func kept(_ result: AuditResult, _ index: String) -> Finding? {
        result.findings.first { $0.target.display == "shop.\(index)" && $0.evidence("keptBecause") != nil }
    }

    static func reason(_ finding: Finding) -> String {
        if case .text(let reason)? = finding.evidence("keptBecause") { reason } else { "" }
    }

    /// The plan built from the same audit drops exactly what the report drops.
    static func expectPlanAgrees(_ snapshot: Snapshot, _ result: AuditResult) {
        let plan = PlanBuilder.build(findings: result.unmerged, snapshot: snapshot, options: PlanOptions())
        let planned = Set(plan.steps.filter { $0.kind == "drop-index" }.compactMap { $0.object.index?.name })
        #expect(planned == dropped(result))
    }

    @Test func ofTwoUnusedCopiesTheOneDuplicateIndexKeepsStays() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [
                Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400),
                Example.index("shop.orders_note_idx1", on: Self.orders, columns: ["note"], scans: 0, pages: 400),
            ])
        let result = Self.audit(snapshot)
        #expect(Self.dropped(result) == ["orders_note_idx1"])
        let kept = try #require(Self.kept(result, "orders_note_idx"))
        #expect(kept.rule == "unused-index")
        #expect(kept.severity == .info)
        #expect(Self.reason(kept).contains("orders_note_idx1"))
        Self.expectPlanAgrees(snapshot, result)
    }

    @Test func ofAnUnusedCoverAndItsUnusedPrefixTheCoverGoes() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [
                Example.index("shop.orders_created_at_idx", on: Self.orders, columns: ["created_at"], scans: 0, pages: 400),
                Example.index("shop.orders_created_at_total_idx", on: Self.orders, columns: ["created_at", "total"], scans: 0, pages: 600),
            ])
        let result = Self.audit(snapshot)
        #expect(Self.dropped(result) == ["orders_created_at_total_idx"])
        let kept = try #require(Self.kept(result, "orders_created_at_idx"))
        #expect(kept.remediations.isEmpty)
        #expect(kept.notes.contains { $0.contains("unused-index") }, "the merged unused-index finding is noted")
        Self.expectPlanAgrees(snapshot, result)
    }

    @Test func theLastIndexServingAForeignKeyStays() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000), Example.table("shop.customers", rows: 50_000)],
            indexes: [
                Example.index("shop.orders_customer_id_status_idx", on: Self.orders, columns: ["customer_id", "status"], scans: 0, pages: 500),
                Example.index("shop.orders_customer_id_total_idx", on: Self.orders, columns: ["customer_id", "total"], scans: 0, pages: 500),
            ],
            constraints: [IndexExamples.foreignKey(
                "orders_customer_id_fkey", on: Self.orders, columns: ["customer_id"], references: "shop.customers", parentColumns: ["id"])])
        let result = Self.audit(snapshot)
        #expect(Self.dropped(result) == ["orders_customer_id_status_idx"])
        let kept = try #require(Self.kept(result, "orders_customer_id_total_idx"))
        #expect(Self.reason(kept).contains("foreign key orders_customer_id_fkey"))
        Self.expectPlanAgrees(snapshot, result)
    }

    @Test func aReplicaIdentityCopyIsNeverDropped() throws {
        var replica = Example.index("shop.orders_ref_idx1", on: Self.orders, columns: ["ref"], unique: true, scans: 0, pages: 400)
        replica.isReplicaIdentity = true
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [Example.index("shop.orders_ref_idx", on: Self.orders, columns: ["ref"], unique: true, scans: 0, pages: 400), replica])
        let result = Self.audit(snapshot)
        #expect(Self.dropped(result).isEmpty)
        let kept = try #require(Self.kept(result, "orders_ref_idx1"))
        #expect(kept.rule == "duplicate-index")
        #expect(Self.reason(kept).contains("replica identity"))
        Self.expectPlanAgrees(snapshot, result)
    }

    /// A lone unused index, which nothing relies on, is still dropped.
    @Test func withoutCollisionsTheReportIsUnchanged() {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400)])
        let result = Self.audit(snapshot)
        #expect(Self.dropped(result) == ["orders_note_idx"])
        #expect(result.findings.allSatisfy { $0.evidence("keptBecause") == nil })
    }
}
