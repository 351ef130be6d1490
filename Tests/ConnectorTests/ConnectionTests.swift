import Foundation
import Testing
import TestSupport
@testable import Connector

@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct ConnectionTests {
    @Test func connectsByURIAndByConninfo() throws {
        for conninfo in [TestServer.uri(), TestServer.conninfo()] {
            let db = try Connection.open(ConnectionOptions(conninfo: conninfo))
            defer { db.close() }
            let row = try #require(try db.query("SELECT current_database() AS d, current_setting('application_name') AS a").first)
            #expect(try row["d"].string() == "postgres")
            #expect(try row["a"].string() == "pgadvisor")
        }
    }

    @Test func readingSessionIsReadOnlyWithTimeouts() throws {
        let db = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo(), statementTimeoutMs: 1500,
                                                       lockTimeoutMs: 700))
        defer { db.close() }
        let row = try #require(try db.query("""
            SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt,
                   current_setting('default_transaction_read_only') AS ro
            """).first)
        #expect(try row["st"].string() == "1500ms")
        #expect(try row["lt"].string() == "700ms")
        #expect(try row["ro"].string() == "on")
        do {
            try db.query("CREATE TABLE pgadvisor_must_not_exist (id int)")
            Issue.record("a reading session must not be able to write")
        } catch let error as ConnectorError {
            #expect(error.sqlState == SQLState.readOnlySQLTransaction)
        }
        do {
            try db.query("SELECT pg_sleep(5)")
            Issue.record("statement_timeout should cancel pg_sleep(5)")
        } catch let error as ConnectorError {
            #expect(error.sqlState == SQLState.queryCanceled)
            #expect(error.kind == .query)
        }
    }

    @Test func parametersAreBoundNotInterpolated() throws {
        let db = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo()))
        defer { db.close() }
        let tricky = "x'); DROP TABLE t; --"
        let row = try #require(try db.query("SELECT $1::text AS v, $2::text IS NULL AS n", [tricky, nil]).first)
        #expect(try row["v"].string() == tricky)
        #expect(try row["n"].bool())
    }

    @Test func applicationNameCanBeOverridden() throws {
        let db = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo(), applicationName: "nightly audit"))
        defer { db.close() }
        #expect(try db.query("SELECT current_setting('application_name') AS a").first?["a"].string() == "nightly audit")
    }

    @Test func serverErrorsCarrySQLState() throws {
        let db = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo()))
        defer { db.close() }
        #expect(throws: ConnectorError.self) { try db.query("SELECT * FROM no_such_table") }
        do {
            try db.query("SELECT * FROM no_such_table")
        } catch let error as ConnectorError {
            #expect(error.sqlState == SQLState.undefinedTable)
            #expect(error.description.contains("no_such_table"))
        }
    }

    @Test func missingDatabaseIsAConnectionError() {
        do {
            _ = try Connection.open(ConnectionOptions(conninfo: TestServer.conninfo("no_such_db")))
            Issue.record("should not connect")
        } catch let error as ConnectorError {
            #expect(error.kind == .connection)
            #expect(error.description.contains("no_such_db"))
            #expect(error.description.contains("check the database name"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
