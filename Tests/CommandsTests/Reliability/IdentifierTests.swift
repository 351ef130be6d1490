import Connector
import Foundation
import QueryParser
import Testing
import TestSupport

/// Names with quotes, spaces, capitals, unicode and reserved words, across schemas, end to end:
/// the findings, the plan (text, JSON, SQL) name them exactly, the script parses, and applying
/// it creates and drops exactly those objects.
@Suite(.enabled(if: TestServer.isAvailable(.isolated), "needs the isolated throwaway server: run scripts/test"),
       .serialized, .isolatedCluster)
struct IdentifierTests {
    static let database = "pgadvisor_identifiers"

    static func prepare() throws {
        try TestServer.freshDatabase(database, setup: [
            "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg",
            #"CREATE SCHEMA "Sales Q1""#,
            #"CREATE TABLE "Sales Q1"."order" (id int PRIMARY KEY, "select" int NOT NULL, "Ünïcode col" text)"#,
            #"INSERT INTO "Sales Q1"."order" SELECT g, g % 5000, 'v' || g FROM generate_series(1, 100000) g"#,
            #"CREATE TABLE "Sales Q1"."Ünïcode tåble" (id int PRIMARY KEY, "Mixed Case" int)"#,
            #"INSERT INTO "Sales Q1"."Ünïcode tåble" SELECT g, g % 100 FROM generate_series(1, 20000) g"#,
            #"CREATE INDEX "we""ird idx" ON "Sales Q1"."Ünïcode tåble" ("Mixed Case")"#,
            #"CREATE INDEX "we""ird idx copy" ON "Sales Q1"."Ünïcode tåble" ("Mixed Case")"#,
            #"CREATE TABLE public."we""ird" (id int PRIMARY KEY, "order" int REFERENCES "Sales Q1"."order" (id))"#,
            #"INSERT INTO public."we""ird" SELECT g, g FROM generate_series(1, 1000) g"#,
            "ANALYZE",
            // The load's counters reach the shared statistics when the session goes idle: flush
            // them now, so that the reset clears them and the load is not taken for steady writes.
            "SELECT pg_stat_force_next_flush()",
            "SELECT pg_stat_reset()",
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)",
        ])
        let db = try TestServer.admin(database)
        defer { db.close() }
        for i in 1...30 { try db.query(#"SELECT * FROM "Sales Q1"."order" WHERE "select" = "# + "\(i)") }
        let seen = try db.query(#"SELECT calls FROM pg_stat_statements WHERE query LIKE '%"Sales Q1"."order" WHERE "select"%'"#)
        #expect(try seen.first?["calls"].int() == 30, "pg_stat_statements has not recorded the workload")
    }

    static let missing = #""Sales Q1"."order""#
    static let duplicate = #""Sales Q1"."we""ird idx copy""#
    static let foreignKey = #"public."we""ird"."order""#
    static let createMissing = #"CREATE INDEX CONCURRENTLY IF NOT EXISTS order_select_idx ON "Sales Q1"."order" ("select");"#
    static let dropDuplicate = #"DROP INDEX CONCURRENTLY IF EXISTS "Sales Q1"."we""ird idx copy";"#
    static let createForeignKey = #"CREATE INDEX CONCURRENTLY IF NOT EXISTS "we""ird_order_idx" ON public."we""ird" ("order");"#

    @Test func findingsPlanAndApplyNameTheObjectsExactly() throws {
        try Self.prepare()
        let uri = TestServer.uri(Self.database)
        let audit = try CLI.run(["audit", uri, "--format", "json"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let targets = Set((report["findings"] as? [[String: Any]] ?? []).map { "\($0["rule"] ?? "") \($0["target"] ?? "")" })
        for expected in ["missing-index \(Self.missing)", "duplicate-index \(Self.duplicate)", "unindexed-foreign-key \(Self.foreignKey)"] {
            #expect(targets.contains(expected), "\(expected) not in \(targets.sorted())")
        }

        let script = try CLI.run(["plan", uri])
        #expect(script.status == 0, "\(script.stderr)")
        for statement in [Self.createMissing, Self.dropDuplicate, Self.createForeignKey] {
            #expect(script.stdout.contains("\n" + statement + "\n"), "missing from the script: \(statement)")
        }
        // The script is SQL PostgreSQL's parser accepts once psql's meta-commands are left out.
        let sql = script.stdout.split(separator: "\n").filter { !$0.hasPrefix("\\") }.joined(separator: "\n")
        #expect(throws: Never.self) { _ = try QueryParser.parse(sql) }

        let plan = try CLI.run(["plan", uri, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let ids = (object["steps"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        for id in [#"create-index:"Sales Q1"."order"("select")"#, #"drop-index:"Sales Q1"."we""ird idx copy""#,
                   #"create-index:public."we""ird"("order")"#] {
            #expect(ids.contains(id), "\(id) not in \(ids)")
        }

        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-identifiers-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: journal) }
        let applied = try CLI.run(["apply", uri, "--yes", "--journal", journal.path,
                                   "--only", "missing-index,duplicate-index,unindexed-foreign-key"])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let db = try TestServer.admin(Self.database)
        defer { db.close() }
        let indexes = try db.query("""
            SELECT indexdef FROM pg_indexes WHERE schemaname IN ('Sales Q1', 'public')
            """).rows.map { try $0["indexdef"].string() }
        #expect(Set(indexes) == [
            #"CREATE INDEX "we""ird idx" ON "Sales Q1"."Ünïcode tåble" USING btree ("Mixed Case")"#,
            #"CREATE INDEX "we""ird_order_idx" ON public."we""ird" USING btree ("order")"#,
            #"CREATE INDEX order_select_idx ON "Sales Q1"."order" USING btree ("select")"#,
            #"CREATE UNIQUE INDEX "Ünïcode tåble_pkey" ON "Sales Q1"."Ünïcode tåble" USING btree (id)"#,
            #"CREATE UNIQUE INDEX "we""ird_pkey" ON public."we""ird" USING btree (id)"#,
            #"CREATE UNIQUE INDEX order_pkey ON "Sales Q1"."order" USING btree (id)"#,
        ], "\(indexes)")
    }
}
