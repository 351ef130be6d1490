import Core
import Model
import QueryParser
import Testing

/// Each migration check fires on its risky form on a large table, and not on its safe twin,
/// nor on a small table, nor on a table created earlier in the file.
@Suite struct MigrationReviewTests {
    static let columns = [
        Column(name: "id", position: 1, type: "bigint", notNull: true),
        Column(name: "customer_id", position: 2, type: "integer"),
        Column(name: "note", position: 3, type: "character varying(50)"),
        Column(name: "total", position: 4, type: "numeric(10,2)"),
        Column(name: "status", position: 5, type: "text"),
        Column(name: "shipped_at", position: 6, type: "timestamp(3) without time zone"),
    ]
    static let snapshot = Example.snapshot(tables: [
        Example.table("public.orders", rows: 5_000_000, columns: columns),
        Example.table("public.customers", rows: 200_000),
        Example.table("public.tags", rows: 50),
    ])

    /// The findings of the last statement of `sql` (a file), after the ones before it.
    static func findings(_ sql: String, catalog: MigrationReview.Catalog? = nil, lockTimeout: Bool = true) -> [ReviewFinding] {
        let reviewer = Reviewer(thresholds: ReviewThresholds(),
                                catalog: catalog ?? MigrationReview.Catalog(snapshot: snapshot, volatility: ["now": false, "gen_random_uuid": true]))
        let text = (lockTimeout ? "SET lock_timeout = '2s';\n" : "") + sql
        let reviews = try? reviewer.review(SourceStatement.read(text, file: "m.sql"), explain: nil)
        return reviews?.last?.findings ?? []
    }

    static func checks(_ sql: String, lockTimeout: Bool = true) -> [String] {
        findings(sql, lockTimeout: lockTimeout).map(\.check)
    }

    @Test(arguments: [
        ("CREATE INDEX orders_status ON orders (status)", "create-index-not-concurrently"),
        ("ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint", "column-type-rewrite"),
        ("ALTER TABLE orders ALTER COLUMN note TYPE varchar(20)", "column-type-rewrite"),
        ("ALTER TABLE orders ALTER COLUMN note TYPE varchar(80) USING upper(note)", "column-type-rewrite"),
        ("ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,3)", "column-type-rewrite"),
        ("ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()", "add-column-rewrite"),
        ("ALTER TABLE orders ADD COLUMN seq bigserial", "add-column-rewrite"),
        ("ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY", "add-column-rewrite"),
        ("ALTER TABLE orders ADD COLUMN t numeric GENERATED ALWAYS AS (total * 2) STORED", "add-column-rewrite"),
        ("ALTER TABLE orders ADD COLUMN x int DEFAULT my_migration_func()", "add-column-rewrite"),
        ("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id)", "constraint-not-valid"),
        ("ALTER TABLE tags ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES orders (id)", "constraint-not-valid"),
        ("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0)", "constraint-not-valid"),
        ("ALTER TABLE orders ALTER COLUMN status SET NOT NULL", "set-not-null-scan"),
        ("ALTER TABLE orders ADD CONSTRAINT orders_status_key UNIQUE (status)", "create-index-not-concurrently"),
        ("ALTER TABLE orders ADD PRIMARY KEY (id)", "create-index-not-concurrently"),
    ])
    func riskyFormFires(sql: String, check: String) {
        #expect(Self.checks(sql) == [check], "\(sql)")
        #expect(Self.findings(sql).allSatisfy { $0.verdict == .fail && $0.message.contains("rows") })
    }

    @Test(arguments: [
        "CREATE INDEX CONCURRENTLY orders_status ON orders (status)",
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar(80)",
        "ALTER TABLE orders ALTER COLUMN note TYPE text",
        "ALTER TABLE orders ALTER COLUMN status TYPE varchar",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric",
        "ALTER TABLE orders ALTER COLUMN shipped_at TYPE timestamp(6)",
        "ALTER TABLE orders ADD COLUMN flag boolean DEFAULT false",
        "ALTER TABLE orders ADD COLUMN seen timestamptz DEFAULT now()",
        "ALTER TABLE orders ADD COLUMN label text DEFAULT 'x' || 'y'",
        "ALTER TABLE orders ADD COLUMN plain int",
        "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID",
        "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID",
        "ALTER TABLE orders VALIDATE CONSTRAINT positive",
        "ALTER TABLE orders ADD CONSTRAINT orders_status_key UNIQUE USING INDEX orders_status_idx",
        "ALTER TABLE orders ALTER COLUMN id SET NOT NULL",
        "CREATE INDEX tags_id ON tags (id)",
        "ALTER TABLE tags ADD COLUMN token uuid DEFAULT gen_random_uuid()",
        "CREATE INDEX fresh_id ON fresh (id)",
    ])
    func safeTwinPasses(sql: String) {
        #expect(Self.checks(sql).isEmpty, "\(sql): \(Self.findings(sql))")
    }

    @Test func tableCreatedEarlierInTheFileIsExempt() {
        let sql = "CREATE TABLE orders2 (id int);\nCREATE INDEX ON orders2 (id)"
        #expect(Self.checks(sql, lockTimeout: false).isEmpty)
    }

    @Test func setNotNullAfterAValidatedCheckInTheFileDoesNotScan() {
        let safe = """
            ALTER TABLE orders ADD CONSTRAINT status_nn CHECK (status IS NOT NULL) NOT VALID;
            ALTER TABLE orders VALIDATE CONSTRAINT status_nn;
            ALTER TABLE orders ALTER COLUMN status SET NOT NULL
            """
        #expect(Self.checks(safe).isEmpty)
        let unvalidated = """
            ALTER TABLE orders ADD CONSTRAINT status_nn CHECK (status IS NOT NULL) NOT VALID;
            ALTER TABLE orders ALTER COLUMN status SET NOT NULL
            """
        #expect(Self.checks(unvalidated) == ["set-not-null-scan"])
    }

    @Test func setNotNullWithAValidatedCheckInTheDatabaseDoesNotScan() {
        let catalog = MigrationReview.Catalog(snapshot: Self.snapshot, notNullChecks: [QualifiedName(schema: "public", name: "orders"): ["status"]])
        #expect(Self.findings("ALTER TABLE orders ALTER COLUMN status SET NOT NULL", catalog: catalog).isEmpty)
    }

    @Test func lockTimeoutIsRequiredBeforeLockingAnExistingTable() {
        #expect(Self.checks("ALTER TABLE tags ADD COLUMN plain int", lockTimeout: false) == ["lock-timeout-missing"])
        #expect(Self.checks("ALTER TABLE tags ADD COLUMN plain int", lockTimeout: true).isEmpty)
        #expect(Self.checks("CREATE INDEX CONCURRENTLY t ON tags (id)", lockTimeout: false).isEmpty)
        #expect(Self.checks("SET lock_timeout = 0;\nALTER TABLE tags ADD COLUMN plain int", lockTimeout: true) == ["lock-timeout-missing"])
        #expect(Self.checks("RESET lock_timeout;\nALTER TABLE tags ADD COLUMN plain int", lockTimeout: true) == ["lock-timeout-missing"])
        #expect(Self.checks("SET LOCAL lock_timeout TO '3s';\nALTER TABLE tags ADD COLUMN plain int", lockTimeout: false).isEmpty)
        #expect(Self.checks("ALTER TABLE fresh ADD COLUMN plain int", lockTimeout: false).isEmpty)
        // VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: nothing queues behind it.
        #expect(Self.checks("ALTER TABLE tags VALIDATE CONSTRAINT positive", lockTimeout: false).isEmpty)
    }

    @Test func offlineSizeChecksWarnForUnknownTables() {
        let findings = Self.findings("CREATE INDEX o ON orders (status)", catalog: MigrationReview.Catalog(snapshot: nil))
        #expect(findings.map(\.check) == ["create-index-not-concurrently"])
        #expect(findings.allSatisfy { $0.verdict == .warning })
        let volatile = Self.findings("ALTER TABLE orders ADD COLUMN r float DEFAULT random()", catalog: MigrationReview.Catalog(snapshot: nil))
        #expect(volatile.map(\.check) == ["add-column-rewrite"])
        #expect(Self.findings("ALTER TABLE orders ADD COLUMN r timestamptz DEFAULT now()", catalog: MigrationReview.Catalog(snapshot: nil)).isEmpty)
    }

    @Test func smallTableThresholdIsConfigurable() {
        let reviewer = Reviewer(thresholds: ReviewThresholds(largeTableRows: 10, largeTableBytes: 1 << 40),
                                catalog: MigrationReview.Catalog(snapshot: Self.snapshot))
        let reviews = try? reviewer.review(SourceStatement.read("SET lock_timeout = '1s'; CREATE INDEX t ON tags (id)", file: "m.sql"), explain: nil)
        #expect(reviews?.last?.findings.map(\.check) == ["create-index-not-concurrently"])
    }
}
