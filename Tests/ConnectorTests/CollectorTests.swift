import Foundation
import Model
import Testing
import TestSupport
@testable import Connector

@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct CollectorTests {
    static let fixture = [
        "CREATE EXTENSION pg_stat_statements",
        "CREATE SCHEMA shop",
        "ALTER DATABASE pgadvisor_collect SET idle_in_transaction_session_timeout = '1min'",
        "CREATE TABLE shop.customers (id serial PRIMARY KEY, email text NOT NULL, country char(2))",
        "CREATE TABLE shop.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers, status text, note text) WITH (fillfactor = 80, autovacuum_enabled = false)",
        "CREATE INDEX orders_status_lower_idx ON shop.orders (lower(status) DESC NULLS LAST) INCLUDE (note) WHERE status IS NOT NULL",
        #"CREATE TABLE shop."Order Notes" ("Note ""Text""" text) WITH (toast.autovacuum_enabled = false)"#,
        "CREATE SEQUENCE shop.small_seq AS smallint",
        "INSERT INTO shop.customers (email, country) SELECT 'c' || g || '@example.com', 'de' FROM generate_series(1, 2000) g",
        "INSERT INTO shop.orders (customer_id, status) SELECT 1 + g % 2000, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'done' END FROM generate_series(1, 5000) g",
        "SELECT setval('shop.customers_id_seq', 2000000000)",
        "ANALYZE",
        "SELECT count(*) FROM shop.orders WHERE customer_id = 7",
    ]

    static func collect(_ database: String) throws -> Snapshot {
        let db = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo(database)))
        defer { db.close() }
        return try Collector(connection: db).collect(generator: "pgadvisor test")
    }

    @Test func collectsEverySourceOfAPreparedDatabase() throws {
        try TestServer.freshDatabase("pgadvisor_collect", setup: Self.fixture)
        let s = try Self.collect("pgadvisor_collect")

        #expect(s.schemaVersion == Snapshot.currentSchemaVersion)
        #expect(s.server.database == "pgadvisor_collect")
        #expect(s.server.versionNumber >= 130_000)
        #expect(s.role.isSuperuser)
        let notCollected = s.sources.filter { $0.state != .collected }.map(\.name)
        // pg_stat_io appeared in PostgreSQL 16: older servers record why it is missing.
        let unavailable = s.server.versionNumber < 160_000 ? ["pg_stat_io"] : []
        #expect(notCollected == unavailable, "not collected: \(notCollected)")
        if s.server.versionNumber < 160_000 {
            #expect(s.io == nil && s.source("pg_stat_io")?.state == .missing)
            #expect(s.source("pg_stat_io")?.reason?.contains("PostgreSQL 16") == true, "\(s.sources)")
        }

        // Settings: pgadvisor's own session overrides are not reported as the server's values.
        #expect(s.setting("statement_timeout")?.value == "0")
        #expect(s.setting("default_transaction_read_only")?.value == "off")
        #expect(s.setting("shared_buffers")?.unit == "8kB")
        #expect(s.setting("shared_buffers")?.context == "postmaster")

        let orders = try #require(s.table(QualifiedName(schema: "shop", name: "orders")))
        #expect(orders.fillfactor == 80 && !orders.autovacuumEnabled)
        #expect(orders.estimatedRows == 5000)
        #expect(orders.activity?.inserted == 5000)
        #expect(orders.columns.map(\.name) == ["id", "customer_id", "status", "note"])
        #expect(orders.columns.first?.identity == "always")
        #expect(orders.size?.measured == true && (orders.size?.bytes ?? 0) > 0)
        #expect((orders.frozenXidAge ?? -1) >= 0)

        let notes = try #require(s.table(QualifiedName(schema: "shop", name: "Order Notes")))
        #expect(notes.columns.first?.name == #"Note "Text""#)
        // toast.* options are kept in the TOAST table's own reloptions, without the prefix.
        #expect(notes.toastOptions == ["autovacuum_enabled=false"] && notes.options.isEmpty)
        #expect(notes.option("toast.autovacuum_enabled") == "false" && notes.autovacuumEnabled)
        #expect(orders.toastOptions == [])

        let partial = try #require(s.indexes.first { $0.name == "orders_status_lower_idx" })
        #expect(partial.predicate == "(status IS NOT NULL)")
        #expect(partial.columns.count == 2)
        #expect(partial.columns[0].expression == "lower(status)" && partial.columns[0].column == nil)
        #expect(partial.columns[0].descending && !partial.columns[0].nullsFirst)
        #expect(partial.columns[1].column == "note" && !partial.columns[1].isKey)
        let pkey = try #require(s.indexes.first { $0.name == "orders_pkey" })
        #expect(pkey.isPrimary && pkey.isUnique && pkey.constraint == "orders_pkey")
        #expect(pkey.columns.map(\.column) == ["id"])
        #expect(pkey.columns.first?.opclass == "int8_ops")

        let fk = try #require(s.constraints.first { $0.kind == .foreignKey })
        #expect(fk.table == QualifiedName(schema: "shop", name: "orders"))
        #expect(fk.columns == ["customer_id"])
        #expect(fk.referencedTable == QualifiedName(schema: "shop", name: "customers"))
        #expect(fk.referencedColumns == ["id"])
        #expect(fk.onDelete == "no action")

        let customerSeq = try #require(s.sequences.first { $0.name == "customers_id_seq" })
        #expect(customerSeq.lastValue == 2_000_000_000 && customerSeq.lastValueState == .read)
        #expect(customerSeq.dataType == "integer" && customerSeq.maxValue == 2_147_483_647)
        #expect(customerSeq.ownedBy?.column == "id" && customerSeq.ownedBy?.columnType == "integer")
        let small = try #require(s.sequences.first { $0.name == "small_seq" })
        #expect(small.lastValueState == .neverUsed && small.maxValue == 32767 && small.ownedBy == nil)

        let status = try #require(s.columnStats.first { $0.table == "orders" && $0.column == "status" })
        #expect(status.distinctValues == 2)
        #expect(status.mostCommonValues == ["done", "pending"])

        let info = try #require(s.statementsInfo)
        #expect(info.extensionVersion.hasPrefix("1."))
        #expect(s.statements.contains { ($0.query ?? "").contains("FROM shop.orders WHERE customer_id = $1") })
        #expect(!s.statements.contains { ($0.query ?? "").hasPrefix("-- pgadvisor:") })
        // Columns the installed extension version lacks stay nil (1.10 has no stats_since).
        if info.extensionVersion == "1.10" {
            #expect(s.statements.allSatisfy { $0.statsSince == nil && $0.walBuffersFull == nil && $0.jitFunctions != nil })
        }

        #expect(s.database?.name == "pgadvisor_collect" && (s.database?.sizeBytes ?? 0) > 0)
        #expect(s.databases.contains { $0.name == "template0" && !$0.allowsConnections })
        #expect(s.checkpoints != nil)
        #expect(s.extensions.contains { $0.name == "pg_stat_statements" && $0.isInstalled })
        // pg_db_role_setting: the database's own row, as written.
        #expect(s.roleSettings?.contains(RoleSetting(database: "pgadvisor_collect", role: nil,
                                                     name: "idle_in_transaction_session_timeout", value: "1min")) == true,
                "\(s.roleSettings ?? [])")
    }

    /// pgadvisor's own statements (a first collection's) never show up in the next one.
    @Test func ownStatementsStayOutOfTheWorkload() throws {
        try TestServer.freshDatabase("pgadvisor_own", setup: ["CREATE EXTENSION pg_stat_statements", "CREATE TABLE t (id int)"])
        _ = try Self.collect("pgadvisor_own")
        let s = try Self.collect("pgadvisor_own")
        let own = s.statements.compactMap(\.query).filter {
            $0.contains("pgadvisor") || $0.contains("set_config") || $0.contains("FROM pg_stat_statements")
                || $0.contains("pg_catalog.pg_settings")
        }
        #expect(own.isEmpty, "\(own)")
    }

    @Test func databaseWithoutPgStatStatementsRecordsWhy() throws {
        try TestServer.freshDatabase("pgadvisor_nostatements", setup: ["CREATE TABLE t (id int)"])
        let s = try Self.collect("pgadvisor_nostatements")
        let source = try #require(s.source("pg_stat_statements"))
        #expect(source.state == .missing)
        #expect(source.reason?.contains("not created in database pgadvisor_nostatements") == true)
        #expect(source.fix?.contains("CREATE EXTENSION pg_stat_statements") == true)
        #expect(s.statements.isEmpty && s.statementsInfo == nil)
        // collection went on
        #expect(s.tables.map(\.name) == ["t"])
        #expect(s.source("tables")?.state == .collected)
    }

    @Test func lockedTableDoesNotBlockCollection() throws {
        try TestServer.freshDatabase("pgadvisor_locked", setup: [
            "CREATE TABLE busy (id int PRIMARY KEY, payload text)",
            "INSERT INTO busy SELECT g, repeat('x', 100) FROM generate_series(1, 10000) g",
            "CREATE SEQUENCE busy_seq",
            "SELECT nextval('busy_seq')",
            "ANALYZE busy",
        ])
        let holder = try TestServer.admin("pgadvisor_locked")
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
        // ALTER SEQUENCE holds a lock that conflicts with reading the sequence's last value.
        try holder.query("ALTER SEQUENCE busy_seq INCREMENT BY 2")

        let started = Date()
        let s = try Self.collect("pgadvisor_locked")
        let elapsed = Date().timeIntervalSince(started)
        try holder.query("ROLLBACK")

        #expect(elapsed < 5, "collection took \(elapsed) s with a table locked")
        let busy = try #require(s.tables.first { $0.name == "busy" })
        #expect(busy.size?.measured == false)
        #expect((busy.size?.bytes ?? 0) > 0, "estimated from relpages")
        // LOCK TABLE does not lock the table's indexes: their own size is still measured.
        #expect(s.indexes.first { $0.name == "busy_pkey" }?.size?.measured == true)
        let sizes = try #require(s.source("relation_sizes"))
        #expect(sizes.state == .partial)
        #expect(sizes.details.contains { $0.contains("public.busy") && $0.contains("\(holder.backendPid)") })
        #expect(s.sequences.first { $0.name == "busy_seq" }?.lastValueState == .locked)
        let busyIndex = try #require(s.indexes.first { $0.name == "busy_pkey" })
        #expect(busyIndex.definition == nil && busyIndex.isPrimary)
        #expect(s.source("indexes")?.state == .partial)
        #expect(s.source("indexes")?.details == ["public.busy_pkey: definition not read (locked)"])
        // every other source was read (pg_stat_statements is not created in this database;
        // pg_stat_io needs PostgreSQL 16)
        let failed = s.sources.filter {
            !$0.isUsable && $0.name != "pg_stat_statements" && !($0.name == "pg_stat_io" && s.server.versionNumber < 160_000)
        }.map(\.name)
        #expect(failed.isEmpty, "failed sources: \(failed)")
    }

    @Test func lockWaitsNameTheBlocker() throws {
        try TestServer.freshDatabase("pgadvisor_waits", setup: ["CREATE TABLE contested (id int)"])
        let holder = try TestServer.admin("pgadvisor_waits")
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE contested IN ACCESS EXCLUSIVE MODE")
        let waiter = try Connection.open(ConnectionOptions(
            conninfo: TestServer.conninfo("pgadvisor_waits"), statementTimeoutMs: 8000, lockTimeoutMs: 8000,
            readOnly: false))
        defer { waiter.close() }
        let waiterPid = waiter.backendPid
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let waiting = waiter
        DispatchQueue.global().async {
            _ = try? waiting.query("SELECT count(*) FROM contested")
            done.signal()
        }
        // Give the waiter time to queue.
        var s: Snapshot?
        for _ in 0..<50 {
            Thread.sleep(forTimeInterval: 0.1)
            s = try Self.collect("pgadvisor_waits")
            if s?.lockWaits.contains(where: { $0.pid == waiterPid }) == true { break }
        }
        try holder.query("ROLLBACK")
        done.wait()
        let wait = try #require(s?.lockWaits.first { $0.pid == waiterPid })
        #expect(wait.blockingPids == [holder.backendPid])
        #expect(wait.mode == "AccessShareLock")
        #expect(wait.relation == QualifiedName(schema: "public", name: "contested"))
        #expect(wait.blockerModes == ["AccessExclusiveLock"])
        #expect(wait.waitStart != nil)
        #expect(s?.sessions.contains { $0.pid == holder.backendPid && $0.state == "idle in transaction" } == true)
    }

    @Test func snapshotRoundTripsThroughJSON() throws {
        try TestServer.freshDatabase("pgadvisor_roundtrip", setup: Self.fixture)
        let s = try Self.collect("pgadvisor_roundtrip")
        let decoded = try Snapshot(jsonData: try s.jsonData())
        #expect(decoded == s)
    }
}
