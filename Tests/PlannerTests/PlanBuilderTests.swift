import Core
import Model
import Planner
import Foundation
import Testing

/// The plan built from real audit findings on planted shapes, with statistics a month old (so
/// `unused-index` judges every index with no scan).
struct PlanBuilderTests {
    static let orders = "shop.orders"

    static func plan(_ snapshot: Snapshot, risk: Risk = .online, only: [String]? = nil) -> (Plan, [Finding]) {
        let findings = Auditor().run(snapshot).unmerged
        return (PlanBuilder.build(findings: findings, snapshot: snapshot, options: PlanOptions(risk: risk, only: only)), findings)
    }

    static func dropped(_ plan: Plan) -> Set<String> {
        Set(plan.steps.filter { $0.kind == "drop-index" }.compactMap { $0.object.index?.name })
    }

    static func foreignKey(_ columns: [String]) -> ConstraintInfo {
        ConstraintInfo(schema: "shop", name: "orders_customer_id_fkey", kind: .foreignKey,
                       table: QualifiedName(schema: "shop", name: "orders"), columns: columns,
                       referencedTable: QualifiedName(schema: "shop", name: "customers"), referencedColumns: ["id"])
    }

    @Test func bothCopiesOfAnUnusedDuplicateAreNeverDropped() {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [
                Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400),
                Example.index("shop.orders_note_idx1", on: Self.orders, columns: ["note"], scans: 0, pages: 400),
            ])
        let (plan, findings) = Self.plan(snapshot)
        // The findings alone ask for both: the plan is what keeps one.
        #expect(findings.filter { $0.rule == "unused-index" }.count == 2)
        // The copy duplicate-index keeps stays, so the plan and the duplicate finding agree.
        #expect(Self.dropped(plan) == ["orders_note_idx1"])
        #expect(plan.withheld.count == 1)
        #expect(plan.withheld.first?.reason.contains("dropping both") == true || plan.withheld.first?.reason.contains("copy") == true)
    }

    /// Both unused: unused-index asks to drop both, redundant-index to drop the narrow one.
    @Test func ofAnUnusedCoverAndItsPrefixOneStays() {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [
                Example.index("shop.orders_created_at_idx", on: Self.orders, columns: ["created_at"], scans: 0, pages: 400),
                Example.index("shop.orders_created_at_total_idx", on: Self.orders, columns: ["created_at", "total"], scans: 0, pages: 600),
            ])
        let (plan, findings) = Self.plan(snapshot)
        #expect(findings.contains { $0.rule == "redundant-index" })
        #expect(findings.filter { $0.rule == "unused-index" }.count == 2)
        #expect(Self.dropped(plan) == ["orders_created_at_total_idx"])
        #expect(plan.withheld.map(\.id) == ["drop-index:shop.orders_created_at_idx"])
    }

    @Test func theLastIndexOfAForeignKeyStays() {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000), Example.table("shop.customers", rows: 50_000)],
            indexes: [
                Example.index("shop.orders_customer_id_idx", on: Self.orders, columns: ["customer_id"], scans: 0, pages: 400),
                Example.index("shop.orders_customer_id_created_at_idx", on: Self.orders, columns: ["customer_id", "created_at"], scans: 0, pages: 600),
            ],
            constraints: [Self.foreignKey(["customer_id"])])
        let (plan, findings) = Self.plan(snapshot)
        #expect(findings.filter { $0.rule == "unused-index" }.count == 2)
        let dropped = Self.dropped(plan)
        #expect(dropped.count == 1, "one of the two must stay to serve the foreign key: \(dropped)")
        #expect(plan.withheld.contains { $0.reason.contains("foreign key") || $0.reason.contains("cover") })
    }

    @Test func constraintAndReplicaIdentityIndexesAreNeverDropped() {
        var replica = Example.index("shop.orders_ref_idx", on: Self.orders, columns: ["ref"], unique: true, scans: 0, pages: 400)
        replica.isReplicaIdentity = true
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [replica, Example.index("shop.orders_ref_idx1", on: Self.orders, columns: ["ref"], scans: 0, pages: 400)])
        let (plan, _) = Self.plan(snapshot)
        #expect(!Self.dropped(plan).contains("orders_ref_idx"))
    }

    @Test func stepsAreOrderedAndIdsStable() {
        let snapshot = Example.snapshot(
            settings: [Example.setting("track_io_timing", "off", context: "superuser")],
            tables: [Example.table(Self.orders, rows: 500_000, options: ["autovacuum_enabled=false"])],
            indexes: [Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400)])
        let (first, _) = Self.plan(snapshot)
        let (second, _) = Self.plan(snapshot)
        #expect(first.steps.map(\.id) == second.steps.map(\.id))
        let kinds = first.steps.map(\.kind)
        if let drop = kinds.firstIndex(of: "drop-index"), let setting = kinds.firstIndex(of: "alter-system") {
            #expect(drop < setting, "settings come after DDL: \(kinds)")
        }
        #expect(first.steps.contains { $0.id == "drop-index:shop.orders_note_idx" })
        #expect(kinds.last == "manual" || !kinds.contains("manual"))
    }

    @Test func onlySelectsByRuleKindOrId() {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400)])
        let (byRule, _) = Self.plan(snapshot, only: ["unused-index"])
        #expect(byRule.steps.map(\.id) == ["drop-index:shop.orders_note_idx"])
        let (byId, _) = Self.plan(snapshot, only: ["drop-index:shop.orders_note_idx"])
        #expect(byId.steps.count == 1)
        let (none, _) = Self.plan(snapshot, only: ["vacuum-overdue"])
        #expect(none.steps.isEmpty)
    }

    @Test func scriptRunsConcurrentStatementsAloneAndCommentsOutRiskierSteps() {
        let snapshot = Example.snapshot(
            settings: [Example.setting("shared_buffers", "16384", unit: "8kB", context: "postmaster")],
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400)])
        var plan = Self.plan(snapshot).0
        plan.steps.append(PlanStep(
            id: "alter-system:shared_buffers", kind: "alter-system", summary: "set shared_buffers", risk: .restart,
            sql: ["ALTER SYSTEM SET shared_buffers = '1GB';"], effect: .restart, precondition: StepCheck("x", sql: "SELECT 'ready'"),
            object: StepObject(setting: "shared_buffers")))
        let script = PlanScript.render(plan)
        #expect(script.contains("\\set ON_ERROR_STOP on"))
        #expect(!script.split(separator: "\n").contains { $0.hasPrefix("BEGIN") || $0.hasPrefix("COMMIT") })
        #expect(script.contains("\nDROP INDEX CONCURRENTLY IF EXISTS shop.orders_note_idx;\n"))
        #expect(script.contains("\n-- ALTER SYSTEM SET shared_buffers = '1GB';\n"))
        #expect(script.contains("use --risk restart"))
        let rollback = PlanScript.renderRollback(plan)
        #expect(rollback.contains("CREATE INDEX CONCURRENTLY orders_note_idx ON shop.orders USING btree (note);"))
    }

    /// A storage parameter the table did not have is RESET by the rollback; one it had is put back.
    @Test func storageRollbackRestoresWhatTheTableHad() throws {
        let table = QualifiedName(schema: "shop", name: "orders")
        let snapshot = Example.snapshot(tables: [Example.table(Self.orders, rows: 500_000, options: ["fillfactor=90"])])
        let finding = Finding(
            rule: "vacuum-overdue", severity: .warning, target: .relation(table), message: "tune autovacuum",
            remediations: [.setStorageParameters(table, [StorageParameter("autovacuum_vacuum_scale_factor", "0.01"),
                                                         StorageParameter("fillfactor", "80")])])
        let plan = PlanBuilder.build(findings: [finding], snapshot: snapshot, options: PlanOptions())
        let step = try #require(plan.steps.first)
        #expect(step.rollback == [
            "ALTER TABLE shop.orders SET (fillfactor = '90');",
            "ALTER TABLE shop.orders RESET (autovacuum_vacuum_scale_factor);",
        ])
    }

    @Test func planRoundTripsThroughJSON() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table(Self.orders, rows: 500_000)],
            indexes: [Example.index("shop.orders_note_idx", on: Self.orders, columns: ["note"], scans: 0, pages: 400)])
        let plan = Self.plan(snapshot).0
        #expect(try Plan(jsonData: plan.jsonData()) == plan)
        #expect(throws: PlanFileError.self) { try Plan(jsonData: Array("{\"schemaVersion\": 99}".utf8).withUnsafeBufferPointer { Data($0) }) }
    }
}
