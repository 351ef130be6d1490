import Model
import Planner
import QueryParser
import Testing

@Suite struct RemediationSQLTests {
    static let odd = QualifiedName(schema: "Shop Floor", name: "Order \"Notes\"")
    static let plain = QualifiedName(schema: "shop", name: "orders")

    static let cases: [(Remediation, String)] = [
        (.dropIndex(QualifiedName(schema: "shop", name: "select"), definition: nil),
         #"DROP INDEX CONCURRENTLY IF EXISTS shop."select";"#),
        (.reindex(odd), #"REINDEX INDEX CONCURRENTLY "Shop Floor"."Order ""Notes""";"#),
        (.vacuum(plain, VacuumOptions()), "VACUUM shop.orders;"),
        (.createIndex(IndexSpec(table: plain, name: "orders_created_at_brin_idx", columns: ["created_at"], method: "brin",
                                storageParameters: [StorageParameter("pages_per_range", "32")])),
         "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_brin_idx ON shop.orders USING brin (created_at) "
            + "WITH (pages_per_range = 32);"),
        (.vacuum(plain, VacuumOptions(freeze: true, analyze: true, verbose: true)), "VACUUM (FREEZE, VERBOSE, ANALYZE) shop.orders;"),
        (.analyze(QualifiedName(schema: "public", name: "Ünïcode")), #"ANALYZE public."Ünïcode";"#),
        (.setStorageParameters(plain, [StorageParameter("autovacuum_vacuum_scale_factor", "0.01")]),
         "ALTER TABLE shop.orders SET (autovacuum_vacuum_scale_factor = '0.01');"),
        (.resetStorageParameters(odd, ["autovacuum_enabled", "toast.autovacuum_enabled"]),
         #"ALTER TABLE "Shop Floor"."Order ""Notes""" RESET (autovacuum_enabled, toast.autovacuum_enabled);"#),
        (.alterSystem(name: "max_wal_size", value: "2GB", restart: false), "ALTER SYSTEM SET max_wal_size = '2GB';"),
        (.alterSystem(name: "shared_preload_libraries", value: "auto_explain,pg_stat_statements", restart: true),
         "ALTER SYSTEM SET shared_preload_libraries = 'auto_explain', 'pg_stat_statements';"),
        (.alterSystem(name: "shared_preload_libraries", value: SettingList.text(["with,comma", "pg_stat_statements"]), restart: true),
         "ALTER SYSTEM SET shared_preload_libraries = 'with,comma', 'pg_stat_statements';"),
        (.alterSystem(name: "pg_stat_statements.max", value: "10000", restart: true),
         "ALTER SYSTEM SET pg_stat_statements.max = '10000';"),
        (.alterDatabase(database: "App DB", name: "idle_in_transaction_session_timeout", value: "60s"),
         #"ALTER DATABASE "App DB" SET idle_in_transaction_session_timeout = '60s';"#),
        (.alterRole(role: "user", name: "work_mem", value: "64MB"), #"ALTER ROLE "user" SET work_mem = '64MB';"#),
        (.addIdentityPrimaryKey(plain, column: "id"),
         "ALTER TABLE shop.orders ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"),
        (.addPrimaryKeyUsingIndex(plain, index: "orders_ref_key"), "ALTER TABLE shop.orders ADD PRIMARY KEY USING INDEX orders_ref_key;"),
        (.alterColumnType(odd, column: "Id", type: "bigint"),
         #"ALTER TABLE "Shop Floor"."Order ""Notes""" ALTER COLUMN "Id" TYPE bigint;"#),
        (.alterSequenceType(QualifiedName(schema: "shop", name: "tickets_id_seq"), type: "bigint"),
         "ALTER SEQUENCE shop.tickets_id_seq AS bigint;"),
        (.validateConstraint(plain, constraint: "Orders FK"), #"ALTER TABLE shop.orders VALIDATE CONSTRAINT "Orders FK";"#),
        (.createExtension("pg_stat_statements"), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;"),
        (.createIndex(IndexSpec(table: plain, columns: ["customer_id", "status"])),
         "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_status_idx ON shop.orders (customer_id, status);"),
        (.createIndex(IndexSpec(table: odd, name: "notes by Author", columns: ["Author"], include: ["order"], predicate: "\"Author\" IS NOT NULL")),
         #"CREATE INDEX CONCURRENTLY IF NOT EXISTS "notes by Author" ON "Shop Floor"."Order ""Notes""" ("Author") INCLUDE ("order") WHERE "Author" IS NOT NULL;"#),
        (.createIndex(IndexSpec(table: plain, columns: [], expressions: ["lower(email)"], method: "hash")),
         "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_lower_email_idx ON shop.orders USING hash ((lower(email)));"),
        (.createIndex(IndexSpec(
            table: odd, keys: [.column("Tenant Id"), IndexKey(column: "order", descending: true),
                               IndexKey(column: "name", opclass: "text_pattern_ops")],
            predicate: #""deleted at" IS NULL"#)),
         #"CREATE INDEX CONCURRENTLY IF NOT EXISTS "Order ""Notes""_Tenant Id_order_desc_name_pattern_partial_idx" ON "Shop Floor"."Order ""Notes""" ("Tenant Id", "order" DESC, name text_pattern_ops) WHERE "deleted at" IS NULL;"#),
        (.manual("check the replicas"), ""),
    ]

    @Test(arguments: cases.indices)
    func rendersExactly(_ i: Int) {
        let (remediation, expected) = Self.cases[i]
        #expect(RemediationSQL.sql(remediation) == expected)
    }

    @Test(arguments: cases.indices)
    func everyStatementParses(_ i: Int) throws {
        let sql = RemediationSQL.sql(Self.cases[i].0)
        guard !sql.isEmpty else { return }
        let parsed = try QueryParser.parse(sql)
        #expect(parsed.statementCount == 1)
        if let rollback = RemediationSQL.rollback(Self.cases[i].0) {
            #expect(try QueryParser.parse(rollback).statementCount == 1)
        }
    }

    @Test func dropIndexRollbackRecreatesConcurrently() {
        let drop = Remediation.dropIndex(
            QualifiedName(schema: "shop", name: "products_sku_idx"),
            definition: "CREATE INDEX products_sku_idx ON shop.products USING btree (sku)")
        #expect(RemediationSQL.rollback(drop) == "CREATE INDEX CONCURRENTLY products_sku_idx ON shop.products USING btree (sku);")
    }

    @Test func derivedIndexNamesStayWithinNamedatalen() {
        let long = String(repeating: "é", count: 40)
        let name = RemediationSQL.indexName(IndexSpec(table: QualifiedName(schema: "s", name: long), columns: [long]))
        #expect(name.utf8.count <= 63)
        #expect(name.hasSuffix("_idx"))
    }
}
