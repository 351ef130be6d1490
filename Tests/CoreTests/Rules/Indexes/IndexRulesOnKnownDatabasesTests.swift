@testable import Core
import Model
import Testing

/// The index rules on snapshots shaped like the demo shop (sql/demo/schema.sql after its
/// workload) and a freshly initialised pgbench database: the findings the integration tests
/// expect, and none of the traps.
@Suite struct IndexRulesOnKnownDatabasesTests {
    static let indexRules: [any Rule.Type] = [
        DuplicateIndexRule.self, RedundantIndexRule.self, InvalidIndexRule.self, UnindexedForeignKeyRule.self,
        SeqScanHeavyTableRule.self, IndexBloatRule.self,
    ]

    /// A btree as the collector reads it: real operator classes, `pg_get_indexdef` text.
    static func btree(
        _ name: String, on table: String, _ columns: [(String, String)], unique: Bool = false, primary: Bool = false,
        constraint: String? = nil, scans: Int64, rows: Double, pages: Int64
    ) -> IndexInfo {
        IndexExamples.modified(Example.index(
            name, on: table, columns: columns.map(\.0), unique: unique, primary: primary, constraint: constraint,
            scans: scans, rows: rows, pages: pages)) { index in
            index.columns = columns.map { IndexColumn(column: $0.0, opclass: $0.1) }
        }
    }

    static let demo: Snapshot = {
        let customers = Example.table("shop.customers", rows: 50_000, activity: IndexExamples.activity(
            rows: 50_000, seqScans: 700, indexScans: 700))
        let orders = Example.table("shop.orders", rows: 300_000, activity: IndexExamples.activity(
            rows: 300_000, seqScans: 1400, indexScans: 0))
        let products = Example.table("shop.products", rows: 5000, activity: IndexExamples.activity(
            rows: 5000, seqScans: 0, indexScans: 700))
        let sessions = Example.table("shop.sessions", rows: 60_000, pages: 5000, activity: IndexExamples.activity(
            rows: 60_000, seqScans: 0, indexScans: 700, updated: 20_700, deleted: 140_000))
        let audit = Example.table("shop.audit_log", rows: 10_700, activity: IndexExamples.activity(
            rows: 10_700, seqScans: 0, indexScans: nil))
        return Example.snapshot(
            tables: [audit, customers, orders, products, sessions],
            indexes: [
                btree("shop.customers_created_at_idx", on: "shop.customers", [("created_at", "timestamptz_ops")],
                      scans: 0, rows: 50_000, pages: 140),
                btree("shop.customers_pkey", on: "shop.customers", [("id", "int4_ops")], primary: true,
                      scans: 700, rows: 50_000, pages: 140),
                btree("shop.orders_created_at_idx", on: "shop.orders", [("created_at", "timestamptz_ops")],
                      scans: 0, rows: 300_000, pages: 830),
                btree("shop.orders_created_at_total_idx", on: "shop.orders",
                      [("created_at", "timestamptz_ops"), ("total", "numeric_ops")], scans: 0, rows: 300_000, pages: 1160),
                btree("shop.orders_pkey", on: "shop.orders", [("id", "int8_ops")], primary: true,
                      scans: 0, rows: 300_000, pages: 830),
                btree("shop.products_pkey", on: "shop.products", [("id", "int4_ops")], primary: true,
                      scans: 0, rows: 5000, pages: 16),
                btree("shop.products_sku_idx", on: "shop.products", [("sku", "text_ops")],
                      scans: 0, rows: 5000, pages: 30),
                btree("shop.products_sku_key", on: "shop.products", [("sku", "text_ops")], unique: true,
                      constraint: "products_sku_key", scans: 700, rows: 5000, pages: 30),
                btree("shop.sessions_pkey", on: "shop.sessions", [("id", "int8_ops")], primary: true,
                      scans: 700, rows: 60_000, pages: 550),
            ],
            columnStats: [
                ColumnStats(schema: "shop", table: "orders", column: "id", averageWidth: 8),
                ColumnStats(schema: "shop", table: "orders", column: "created_at", averageWidth: 8),
                ColumnStats(schema: "shop", table: "orders", column: "total", averageWidth: 6),
                ColumnStats(schema: "shop", table: "sessions", column: "id", averageWidth: 8),
            ],
            constraints: [
                IndexExamples.constraint("customers_pkey", on: "shop.customers", columns: ["id"], kind: .primaryKey),
                IndexExamples.foreignKey("orders_customer_id_fkey", on: "shop.orders", columns: ["customer_id"],
                                         references: "shop.customers", parentColumns: ["id"]),
                IndexExamples.constraint("orders_pkey", on: "shop.orders", columns: ["id"], kind: .primaryKey),
                IndexExamples.constraint("products_pkey", on: "shop.products", columns: ["id"], kind: .primaryKey),
                IndexExamples.constraint("products_sku_key", on: "shop.products", columns: ["sku"]),
                IndexExamples.constraint("sessions_pkey", on: "shop.sessions", columns: ["id"], kind: .primaryKey),
            ])
    }()

    @Test func demoFindings() throws {
        let result = Auditor(rules: Self.indexRules).run(Self.demo)
        let findings = result.findings
        // The rules expected to find nothing must have judged the demo, not been skipped.
        for rule in ["invalid-index", "index-bloat"] { #expect(result.evaluated.contains(rule), "\(rule) skipped: \(result.skipped)") }
        func targets(_ rule: String) -> [Target] { findings.filter { $0.rule == rule }.map(\.target) }
        let shop = { (name: String) in QualifiedName(schema: "shop", name: name) }
        #expect(targets("duplicate-index") == [.relation(shop("products_sku_idx"))])
        #expect(targets("redundant-index") == [.relation(shop("orders_created_at_idx"))])
        #expect(targets("unindexed-foreign-key") == [.column(shop("orders"), "customer_id")])
        #expect(targets("invalid-index").isEmpty)
        #expect(targets("index-bloat").isEmpty, "the demo is too small for 10 MB of waste")
        #expect(Set(targets("seq-scan-heavy-table")) == [.relation(shop("orders")), .relation(shop("customers"))])

        let duplicate = try #require(findings.first { $0.rule == "duplicate-index" })
        #expect(duplicate.remediations == [.dropIndex(shop("products_sku_idx"), definition: Self.demo.indexes[6].definition)])
        #expect(duplicate.evidence("keptIndex") == .text("shop.products_sku_key"))
        #expect(duplicate.message.contains("backs constraint products_sku_key"))

        let redundant = try #require(findings.first { $0.rule == "redundant-index" })
        #expect(redundant.evidence("coveringIndex") == .text("shop.orders_created_at_total_idx"))
        #expect(redundant.remediations == [.dropIndex(shop("orders_created_at_idx"), definition: Self.demo.indexes[2].definition)])

        for finding in findings {
            #expect(!finding.target.display.hasSuffix("_pkey"), "\(finding.rule) reported a primary key")
        }
    }

    @Test func freshPgbenchHasNoIndexFindings() {
        let accounts = Example.table("public.pgbench_accounts", rows: 1_000_000, rowWidth: 97, activity: IndexExamples.activity(
            rows: 1_000_000, seqScans: 2, indexScans: 4000, updated: 2000))
        let branches = Example.table("public.pgbench_branches", rows: 10, activity: IndexExamples.activity(
            rows: 10, seqScans: 2001, indexScans: 0, updated: 2000))
        let tellers = Example.table("public.pgbench_tellers", rows: 100, activity: IndexExamples.activity(
            rows: 100, seqScans: 2000, indexScans: 0, updated: 2000))
        let history = Example.table("public.pgbench_history", rows: 2000, activity: IndexExamples.activity(
            rows: 2000, seqScans: 0, indexScans: nil, updated: 0))
        let snapshot = Example.snapshot(
            statements: [
                Example.statement(1, "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2", calls: 2000, meanMs: 0.1),
                Example.statement(2, "SELECT abalance FROM pgbench_accounts WHERE aid = $1", calls: 2000, meanMs: 0.05),
            ],
            tables: [accounts, branches, history, tellers],
            indexes: [
                Self.btree("public.pgbench_accounts_pkey", on: "public.pgbench_accounts", [("aid", "int4_ops")], primary: true,
                           scans: 4000, rows: 1_000_000, pages: 2745),
                Self.btree("public.pgbench_branches_pkey", on: "public.pgbench_branches", [("bid", "int4_ops")], primary: true,
                           scans: 0, rows: 10, pages: 2),
                Self.btree("public.pgbench_tellers_pkey", on: "public.pgbench_tellers", [("tid", "int4_ops")], primary: true,
                           scans: 0, rows: 100, pages: 2),
            ],
            columnStats: [
                ColumnStats(schema: "public", table: "pgbench_accounts", column: "aid", averageWidth: 4),
                ColumnStats(schema: "public", table: "pgbench_branches", column: "bid", averageWidth: 4),
                ColumnStats(schema: "public", table: "pgbench_tellers", column: "tid", averageWidth: 4),
            ],
            constraints: [
                IndexExamples.constraint("pgbench_accounts_pkey", on: "public.pgbench_accounts", columns: ["aid"], kind: .primaryKey),
                IndexExamples.constraint("pgbench_branches_pkey", on: "public.pgbench_branches", columns: ["bid"], kind: .primaryKey),
                IndexExamples.constraint("pgbench_tellers_pkey", on: "public.pgbench_tellers", columns: ["tid"], kind: .primaryKey),
            ],
            statsReset: nil)
        let result = Auditor(rules: Self.indexRules).run(snapshot)
        #expect(result.findings.isEmpty, "got: \(result.findings.map(\.message))")
        #expect(result.skipped.isEmpty, "skipped: \(result.skipped.map(\.reason))")
    }

    @Test func duplicateKeepsTheConstraintEvenWhenUnused() throws {
        // The plain copy is the one scanned; the constraint's index is still kept.
        var snapshot = Self.demo
        snapshot.indexes[6].scans = 9000
        snapshot.indexes[7].scans = 0
        let finding = try #require(Auditor(rules: [DuplicateIndexRule.self]).run(snapshot).findings.first)
        #expect(finding.target == .relation(QualifiedName(schema: "shop", name: "products_sku_idx")))
    }

    @Test func keepOrder() {
        let plain = Example.index("s.b_idx", on: "s.t", columns: ["a"], scans: 5)
        let busier = Example.index("s.c_idx", on: "s.t", columns: ["a"], scans: 50)
        let sameScans = Example.index("s.a_idx", on: "s.t", columns: ["a"], scans: 5)
        let unique = Example.index("s.z_key", on: "s.t", columns: ["a"], unique: true, scans: 0)
        #expect(DuplicateIndexRule.keepOrder(plain, busier))
        #expect(DuplicateIndexRule.keepOrder(busier, unique))
        #expect(DuplicateIndexRule.keepOrder(plain, sameScans), "the first name is kept")
        #expect(!DuplicateIndexRule.keepOrder(sameScans, plain))
        let uniqueBusy = Example.index("s.a_uidx", on: "s.t", columns: ["a"], unique: true, scans: 900)
        let constraint = Example.index("s.t_a_key", on: "s.t", columns: ["a"], unique: true, constraint: "t_a_key", scans: 0)
        #expect(DuplicateIndexRule.keepOrder(uniqueBusy, constraint), "the constraint's index is kept, scans or not")
        let primary = Example.index("s.t_pkey", on: "s.t", columns: ["a"], primary: true, scans: 0)
        #expect(DuplicateIndexRule.keepOrder(constraint, primary))
    }

    @Test func redundantCoverage() throws {
        func shape(_ columns: [String], include: [String] = [], predicate: String? = nil) throws -> IndexShape {
            let index = IndexExamples.modified(Example.index("s.i", on: "s.t", columns: columns + include, predicate: predicate)) { i in
                for n in columns.count..<(columns.count + include.count) { i.columns[n] = IndexColumn(column: i.columns[n].column, isKey: false) }
            }
            return try #require(IndexShape(index))
        }
        #expect(RedundantIndexRule.covers(try shape(["a", "b"]), try shape(["a"])))
        #expect(!RedundantIndexRule.covers(try shape(["a"]), try shape(["a"])), "an exact duplicate is not prefix-covered")
        #expect(!RedundantIndexRule.covers(try shape(["a"]), try shape(["a", "b"])), "never the wider one")
        #expect(!RedundantIndexRule.covers(try shape(["b", "a"]), try shape(["a"])))
        #expect(!RedundantIndexRule.covers(try shape(["a"], include: ["b"]), try shape(["a", "b"])), "INCLUDE is not a key")
        #expect(RedundantIndexRule.covers(try shape(["a"], include: ["b", "c"]), try shape(["a"], include: ["b"])))
        #expect(RedundantIndexRule.covers(try shape(["a", "b"]), try shape(["a"], include: ["b"])))
        #expect(!RedundantIndexRule.covers(try shape(["a", "b"]), try shape(["a"], include: ["c"])))
        #expect(!RedundantIndexRule.covers(try shape(["a", "b"], predicate: "(a > 0)"), try shape(["a"])))
    }

    @Test func seqScanStatementsAndSeverity() throws {
        let findings = Auditor(rules: [SeqScanHeavyTableRule.self]).run(Example.snapshot(
            statements: [
                Example.statement(1, "SELECT * FROM shop.orders_archive WHERE id = $1", calls: 10, meanMs: 1),
                Example.statement(2, "SELECT count(*) FROM \"shop\".orders o", calls: 10, meanMs: 1),
                Example.statement(3, "SELECT 1", calls: 10, meanMs: 1),
            ],
            tables: [
                Example.table("shop.orders", rows: 300_000, activity: IndexExamples.activity(
                    rows: 300_000, seqScans: 100, indexScans: 300)),
            ])).findings
        let finding = try #require(findings.first)
        #expect(finding.severity == .info, "25 % sequential is a minority")
        #expect(finding.evidence("statementQueryIds") == .list(["2"]))
        #expect(finding.evidence("rowsPerSeqScan") == .number(300_000))
        #expect(SeqScanHeavyTableRule.mentions("select * from orders", "orders"))
        #expect(!SeqScanHeavyTableRule.mentions("select * from orders_archive", "orders"))
        #expect(!SeqScanHeavyTableRule.mentions("select * from old_orders", "orders"))
        #expect(SeqScanHeavyTableRule.mentions("select * from old_orders join orders", "orders"))
    }
}
