@testable import Core
import Model
import Testing

@Suite struct InvalidIndexRuleTests {
    @Test func recognisesConcurrentBuilds() throws {
        let create = try #require(InvalidIndexRule.build(in: "CREATE UNIQUE INDEX CONCURRENTLY \"Idx\" ON shop.t (a)"))
        #expect(create.words.contains("idx"))
        #expect(!create.wholeSchemaOrDatabase)
        #expect(InvalidIndexRule.build(in: "create index concurrently on shop.t (a)") != nil)
        #expect(InvalidIndexRule.build(in: "REINDEX INDEX CONCURRENTLY shop.t_a_idx") != nil)
        #expect(InvalidIndexRule.build(in: "REINDEX (CONCURRENTLY) TABLE shop.t") != nil)
        #expect(try #require(InvalidIndexRule.build(in: "REINDEX SCHEMA CONCURRENTLY shop")).wholeSchemaOrDatabase)
        #expect(InvalidIndexRule.build(in: "CREATE INDEX t_a_idx ON shop.t (a)") == nil, "not concurrent")
        #expect(InvalidIndexRule.build(in: "REINDEX TABLE shop.t") == nil, "not concurrent")
        #expect(InvalidIndexRule.build(in: "SELECT 1") == nil)
    }

    @Test func matchesTheBuildToItsIndexOrTable() throws {
        let index = Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], valid: false)
        let byName = try #require(InvalidIndexRule.build(in: "CREATE INDEX CONCURRENTLY orders_note_idx ON other (x)"))
        #expect(byName.isBuilding(index))
        let byTable = try #require(InvalidIndexRule.build(in: "CREATE INDEX CONCURRENTLY ON shop.orders (note)"))
        #expect(byTable.isBuilding(index))
        let elsewhere = try #require(InvalidIndexRule.build(in: "CREATE INDEX CONCURRENTLY ON shop.orders_archive (note)"))
        #expect(!elsewhere.isBuilding(index), "whole identifiers only")
        let leftover = Example.index("shop.orders_note_idx_ccnew", on: "shop.t2", columns: ["note"], valid: false)
        let reindex = try #require(InvalidIndexRule.build(in: "REINDEX INDEX CONCURRENTLY shop.orders_note_idx"))
        #expect(reindex.isBuilding(leftover))
    }

    @Test func leftoverNames() {
        #expect(InvalidIndexRule.leftoverBase("orders_note_idx_ccnew") == "orders_note_idx")
        #expect(InvalidIndexRule.leftoverBase("orders_note_idx_ccold2") == "orders_note_idx")
        #expect(InvalidIndexRule.leftoverBase("orders_note_idx") == nil)
        #expect(InvalidIndexRule.leftoverBase("_ccnew") == nil)
        #expect(InvalidIndexRule.leftoverBase("orders_ccnew_idx") == nil)
    }

    @Test func concurrentDefinition() {
        #expect(InvalidIndexRule.concurrentDefinition("CREATE UNIQUE INDEX k ON shop.t USING btree (a)")
            == "CREATE UNIQUE INDEX CONCURRENTLY k ON shop.t USING btree (a)")
        #expect(InvalidIndexRule.concurrentDefinition("CREATE INDEX k ON shop.t USING btree (a)")
            == "CREATE INDEX CONCURRENTLY k ON shop.t USING btree (a)")
        #expect(InvalidIndexRule.concurrentDefinition("something else") == nil)
    }

    @Test func failedUniqueBuildRemediations() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table("shop.customers", rows: 50_000)],
            indexes: [Example.index("shop.customers_email_key", on: "shop.customers", columns: ["email"], unique: true,
                                    valid: false, pages: 200)])
        let finding = try #require(run(snapshot).first)
        #expect(finding.severity == .critical)
        let email = QualifiedName(schema: "shop", name: "customers_email_key")
        #expect(finding.remediations.first == .dropIndex(email, definition: snapshot.indexes[0].definition))
        #expect(finding.remediations.count == 3)
        guard case .manual(let dedupe) = finding.remediations[1], case .manual(let recreate) = finding.remediations[2] else {
            Issue.record("expected two manual steps")
            return
        }
        #expect(dedupe.contains("duplicate"))
        #expect(recreate.contains("CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON shop.customers"))
    }

    @Test func leftoverIsOnlyDroppedAndNotMaintainedIsAWarning() throws {
        let snapshot = Example.snapshot(
            tables: [Example.table("shop.orders", rows: 50_000)],
            indexes: [
                Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"]),
                IndexExamples.modified(Example.index("shop.orders_note_idx_ccnew", on: "shop.orders", columns: ["note"],
                                                     valid: false)) { $0.isReady = false },
            ])
        let finding = try #require(run(snapshot).first)
        #expect(finding.severity == .warning)
        #expect(finding.remediations.count == 1)
        #expect(finding.message.contains("leftover"))
        #expect(finding.message.contains("still exists"))
    }

    @Test func idleSessionWithTheFailedStatementDoesNotHideTheIndex() {
        let index = Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], valid: false)
        let query = "CREATE INDEX CONCURRENTLY orders_note_idx ON shop.orders (note)"
        let idle = Example.snapshot(indexes: [index], sessions: [SessionInfo(pid: 1, database: "app", state: "idle", query: query)])
        #expect(run(idle).count == 1)
        let active = Example.snapshot(indexes: [index], sessions: [SessionInfo(pid: 1, database: "app", state: "active", query: query)])
        #expect(run(active).isEmpty)
        let otherDatabase = Example.snapshot(
            indexes: [index], sessions: [SessionInfo(pid: 1, database: "other", state: "active", query: query)])
        #expect(run(otherDatabase).count == 1)
    }

    @Test func hiddenStatementsAreNoted() throws {
        let index = Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], valid: false)
        let snapshot = Example.snapshot(indexes: [index], sessions: [SessionInfo(pid: 1, database: "app", state: nil, query: nil)])
        let finding = try #require(run(snapshot).first)
        #expect(finding.notes.contains { $0.contains("may not see") })
    }

    private func run(_ snapshot: Snapshot) -> [Finding] {
        let result = Auditor(rules: [InvalidIndexRule.self]).run(snapshot)
        #expect(result.evaluated == [InvalidIndexRule.description.id], "skipped: \(result.skipped.map(\.reason))")
        return result.findings
    }
}
