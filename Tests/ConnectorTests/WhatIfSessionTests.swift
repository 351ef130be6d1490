import Foundation
import Model
import Testing
import TestSupport
@testable import Connector

@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct WhatIfSessionTests {
    static let fixture = [
        "CREATE EXTENSION hypopg",
        "CREATE TABLE t (a int, b text, c timestamptz, d jsonb)",
        "INSERT INTO t SELECT g, md5(g::text), now() - g * interval '1 minute', '{}' FROM generate_series(1, 100000) g",
        "ANALYZE t",
    ]

    /// A fresh database with the fixture, and a session on a reading (read-only) connection to it.
    static func session(_ database: String, setup: [String] = fixture) throws -> (WhatIfSession, Connection) {
        try TestServer.freshDatabase(database, setup: setup)
        let connection = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo(database)))
        return (try WhatIfSession(connection: connection), connection)
    }

    /// The session is back to autocommit with nothing prepared and the default plan_cache_mode.
    static func expectClean(_ connection: Connection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let row = try #require(try connection.query("""
            SELECT (SELECT count(*) FROM pg_prepared_statements) AS prepared,
                   current_setting('plan_cache_mode') AS mode,
                   current_setting('default_transaction_read_only') AS ro
            """).first)
        #expect(try row["prepared"].int() == 0, sourceLocation: sourceLocation)
        #expect(try row["mode"].string() == "auto", sourceLocation: sourceLocation)
        #expect(try row["ro"].string() == "on", sourceLocation: sourceLocation)
    }

    @Test func hypotheticalIndexLowersTheGenericPlanCostUntilDropped() throws {
        let (session, connection) = try Self.session("whatif_basic")
        defer { connection.close() }
        #expect(session.hypopgVersion == "1.3.1")
        #expect(session.serverVersionNum >= 150_000)

        let query = "SELECT * FROM t WHERE a = $1"
        let baseline = try session.explain(query, parameterTypes: [nil])
        #expect(baseline.indexesUsed.isEmpty)
        #expect(baseline.totalCost > 1000)
        #expect(try session.explain(query, parameterTypes: ["integer"]) == baseline)

        let index = try session.createIndex("CREATE INDEX ON t (a)")
        #expect(index.name.hasPrefix("<\(index.oid)>btree_t_a"))
        #expect(index.estimatedBytes > 100_000)
        let indexed = try session.explain(query, parameterTypes: [nil])
        #expect(indexed.totalCost < baseline.totalCost / 100)
        #expect(indexed.indexesUsed == [index.name])
        #expect(indexed.rows == 1)
        // The rolled-back transaction of the generic-plan path leaves the index in place.
        #expect(try session.explain("SELECT * FROM t WHERE a = 42", parameterTypes: []).indexesUsed == [index.name])

        try session.dropIndex(index)
        #expect(try session.explain(query, parameterTypes: [nil]) == baseline)
        #expect(throws: ConnectorError.self) { try session.dropIndex(index) }

        let again = try session.createIndex("CREATE INDEX CONCURRENTLY ON t (a)")
        #expect(again.oid != index.oid)
        #expect(try session.explain(query, parameterTypes: [nil]).indexesUsed == [again.name])
        try session.reset()
        #expect(try session.explain(query, parameterTypes: [nil]) == baseline)
        #expect(session.explainCalls == 7)

        try Self.expectClean(connection)
        let timeouts = try #require(try connection.query(
            "SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt").first)
        #expect(try timeouts["st"].string() == "30s")
        #expect(try timeouts["lt"].string() == "2s")
    }

    @Test func writesAreExplainedNotExecutedInTheReadOnlySession() throws {
        let (session, connection) = try Self.session("whatif_writes")
        defer { connection.close() }
        let index = try session.createIndex("CREATE INDEX ON t (a)")

        let update = try session.explain("UPDATE t SET b = 'changed' WHERE a = $1", parameterTypes: [nil])
        #expect(update.indexesUsed == [index.name])
        let delete = try session.explain("DELETE FROM t WHERE a = $1", parameterTypes: ["bigint"])
        #expect(delete.indexesUsed == [index.name])
        let insert = try session.explain("INSERT INTO t (a, b) VALUES ($1, $2)", parameterTypes: [nil, nil])
        #expect(insert.totalCost > 0)
        _ = try session.explain("UPDATE t SET b = 'changed' WHERE a = 7", parameterTypes: [])
        try Self.expectClean(connection)

        let admin = try TestServer.admin("whatif_writes")
        defer { admin.close() }
        let row = try #require(try admin.query(
            "SELECT count(*) AS n, count(*) FILTER (WHERE b = 'changed') AS changed FROM t").first)
        #expect(try row["n"].int() == 100_000)
        #expect(try row["changed"].int() == 0)
    }

    @Test func parameterTypesAreInferredOrDeclared() throws {
        let (session, connection) = try Self.session("whatif_types")
        defer { connection.close() }
        _ = try session.createIndex("CREATE INDEX ON t (c)")

        let recent = "SELECT * FROM t WHERE c > now() - $1::interval"
        #expect(try session.explain(recent, parameterTypes: [nil]) == session.explain(recent, parameterTypes: ["interval"]))
        #expect(try session.explain("SELECT * FROM t WHERE c > $1", parameterTypes: ["timestamp with time zone"]).totalCost > 0)
        #expect(try session.explain("SELECT * FROM t WHERE $1::text IS NULL OR a = $2", parameterTypes: [nil, nil]).totalCost > 0)
        #expect(try session.explain("SELECT * FROM t WHERE $1 IS NULL", parameterTypes: ["text"]).totalCost > 0)

        // A parameter nothing types: the server's error, and the session stays usable.
        do {
            _ = try session.explain("SELECT * FROM t WHERE $1 IS NULL", parameterTypes: [nil])
            Issue.record("an untyped $1 IS NULL should not be costed")
        } catch let error as ConnectorError {
            #expect(error.sqlState == SQLState.indeterminateDatatype)
            #expect(error.message == "could not determine data type of parameter $1")
        }
        try Self.expectClean(connection)
        #expect(try session.explain("SELECT * FROM t WHERE a = $1", parameterTypes: [nil]).totalCost > 0)

        // Type names reach PREPARE only as the server spells them.
        for bad in ["no_such_type", "int) AS SELECT 1; --"] {
            #expect(throws: ConnectorError.self) { try session.explain("SELECT * FROM t WHERE a = $1", parameterTypes: [bad]) }
        }
        try Self.expectClean(connection)
    }

    @Test func failedStatementsLeaveTheSessionUsable() throws {
        let (session, connection) = try Self.session("whatif_errors")
        defer { connection.close() }
        let cases: [(String, [String?], String)] = [
            ("SELEC * FROM t WHERE a = $1", [nil], "42601"),
            ("SELEC * FROM t", [], "42601"),
            ("VACUUM t", [], "42601"),
            ("VACUUM t", [nil], "42601"),
            ("SELECT * FROM no_such_table WHERE a = $1", [nil], SQLState.undefinedTable),
            // Parameter counts that disagree with parameterTypes.
            ("SELECT * FROM t WHERE a = $1", [], "08P01"),
            ("SELECT * FROM t WHERE a = $1 AND b = $2", [nil], "42601"),
            ("SELECT 1; SELECT 2", [], "42601"),
        ]
        for (text, types, sqlState) in cases {
            do {
                _ = try session.explain(text, parameterTypes: types)
                Issue.record("\(text) should fail")
            } catch let error as ConnectorError {
                #expect(error.kind == .query)
                #expect(error.sqlState == sqlState, "\(text): \(error)")
                #expect(!error.description.contains("\n"))
            }
            try Self.expectClean(connection)
        }
        #expect(try session.explain("SELECT * FROM t WHERE a = $1", parameterTypes: [nil]).totalCost > 0)

        do {
            _ = try session.createIndex("CREATE INDEX ON t USING gin (d)")
            Issue.record("hypopg 1.3.1 does not support gin")
        } catch let error as ConnectorError {
            #expect(error.message == #"hypopg: access method "gin" is not supported"#)
        }
        #expect(throws: ConnectorError.self) { try session.createIndex("SELECT 1") }
        #expect(throws: ConnectorError.self) { try session.createIndex("CREATE INDEX ON t (a); CREATE INDEX ON t (b)") }
        #expect(try connection.query("SELECT count(*) AS n FROM hypopg_list_indexes").first?["n"].int() == 0)
    }

    @Test func repeatedGenericPlansShareOneStatementsEntry() throws {
        let (session, connection) = try Self.session("whatif_statements", setup: Self.fixture + ["CREATE EXTENSION pg_stat_statements"])
        defer { connection.close() }
        for a in 1...3 {
            _ = try session.explain("SELECT * FROM t WHERE a = $1 AND b <> '\(a)'", parameterTypes: [nil])
        }
        let entries = try connection.query("""
            SELECT count(*) AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = current_database() AND s.query LIKE '%EXECUTE pgadvisor_whatif%'
            """)
        #expect(try entries.first?["n"].int() == 1)
    }

    @Test func initExplainsWhatIsMissing() throws {
        try TestServer.freshDatabase("whatif_missing")
        let connection = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo("whatif_missing")))
        defer { connection.close() }
        let major = try #require(try connection.query("SELECT current_setting('server_version_num')::int / 10000 AS v").first)["v"].int()
        do {
            _ = try WhatIfSession(connection: connection)
            Issue.record("hypopg is not installed")
        } catch let error as ConnectorError {
            #expect(error.kind == .unavailable)
            #expect(error.description == "hypopg is not installed in database whatif_missing: run CREATE EXTENSION hypopg "
                + "(package postgresql-\(major)-hypopg) for verified index advice")
        }

        try TestServer.freshDatabase("whatif_disabled", setup: [
            "CREATE EXTENSION hypopg",
            "ALTER DATABASE whatif_disabled SET hypopg.enabled = off",
        ])
        let disabled = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo("whatif_disabled")))
        defer { disabled.close() }
        let off = #expect(throws: ConnectorError.self) { try WhatIfSession(connection: disabled) }
        #expect(off?.message == "hypopg.enabled is off for this session")

        let admin = try TestServer.admin()
        defer { admin.close() }
        try TestServer.freshDatabase("whatif_grants", setup: [
            "CREATE EXTENSION hypopg",
            "REVOKE EXECUTE ON FUNCTION hypopg_create_index(text) FROM PUBLIC",
        ])
        try admin.query("DROP ROLE IF EXISTS whatif_reader")
        try admin.query("CREATE ROLE whatif_reader LOGIN")
        let reader = try Connection.open(ConnectionOptions(
            conninfo: "host=\(TestServer.host) port=\(TestServer.port) user=whatif_reader dbname=whatif_grants"))
        defer { reader.close() }
        do {
            _ = try WhatIfSession(connection: reader)
            Issue.record("whatif_reader may not execute hypopg_create_index")
        } catch let error as ConnectorError {
            #expect(error.kind == .unavailable)
            #expect(error.message == "hypopg 1.3.1 is installed in database whatif_grants, but role whatif_reader cannot execute hypopg_create_index")
        }
    }
}
