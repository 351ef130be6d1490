import Core
import Model
import Planner
import QueryParser
import Testing

/// Every statement of a plan — a step's SQL, its rollback and its precondition — parsed by
/// PostgreSQL's own parser, for objects whose names need quoting.
struct PlanSQLTests {
    static let schema = "My Schema"
    static let table = "Order \"Notes\""

    /// A plan over awkward names: an unused index, autovacuum disabled, a missing setting.
    static func plan() -> Plan {
        let qualified = "\(schema).\(table)"
        var table = Example.table(qualified, rows: 500_000, options: ["autovacuum_enabled=false"])
        table.schema = schema
        table.name = Self.table
        var index = Example.index("x.placeholder", on: "x.placeholder", columns: ["Note Text"], scans: 0, pages: 400)
        index.schema = schema
        index.name = "select"
        index.table = QualifiedName(schema: schema, name: Self.table)
        index.definition = "CREATE INDEX \"select\" ON \"My Schema\".\"Order \"\"Notes\"\"\" USING btree (\"Note Text\")"
        let snapshot = Example.snapshot(
            settings: [Example.setting("track_io_timing", "off", context: "superuser")], tables: [table], indexes: [index])
        let findings = Auditor().run(snapshot).unmerged
        return PlanBuilder.build(findings: findings, snapshot: snapshot, options: PlanOptions(risk: .blocking))
    }

    @Test func everyStatementOfThePlanParses() throws {
        let plan = Self.plan()
        #expect(plan.steps.contains { $0.kind == "drop-index" } && plan.steps.contains { $0.kind == "reset-storage-parameters" })
        for step in plan.steps where step.risk != .manual {
            for sql in step.sql + step.rollback + [step.precondition.sql] {
                #expect(throws: Never.self, "\(step.id): \(sql)") { try QueryParser.parse(sql) }
            }
        }
    }

    /// The precondition looks the objects up by their exact names: the literal given to
    /// to_regclass is the quoted qualified name, spelled as PostgreSQL reads it.
    @Test func preconditionsNameTheExactObjects() throws {
        let drop = try #require(Self.plan().steps.first { $0.kind == "drop-index" })
        let constants = try QueryParser.parse(drop.precondition.sql).strings(named: "sval")
        #expect(constants.contains("\"My Schema\".\"select\""), "\(constants)")
        #expect(drop.sql == ["DROP INDEX CONCURRENTLY IF EXISTS \"My Schema\".\"select\";"])
        #expect(drop.rollback == ["CREATE INDEX CONCURRENTLY \"select\" ON \"My Schema\".\"Order \"\"Notes\"\"\" USING btree (\"Note Text\");"])
    }

    @Test func scriptsOfTheWholePlanParse() throws {
        let plan = Self.plan()
        for script in [PlanScript.render(plan), PlanScript.renderRollback(plan)] {
            // psql meta-commands are not SQL; everything else must be.
            let sql = script.split(separator: "\n").filter { !$0.hasPrefix("\\") }.joined(separator: "\n")
            #expect(throws: Never.self) { try QueryParser.parse(sql) }
        }
    }
}
