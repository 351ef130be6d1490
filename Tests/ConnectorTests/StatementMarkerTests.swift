import Model
import Testing
@testable import Connector

/// The marker after a statement's first keyword, which pg_stat_statements 1.12 keeps (it drops
/// leading comments), and its recognition in a pg_stat_statements text.
struct StatementMarkerTests {
    @Test func markerFollowsTheFirstKeywordAfterLeadingComments() {
        #expect(StatementMarker.mark("-- pgadvisor: tables\nSELECT 1") == "-- pgadvisor: tables\nSELECT /* pgadvisor */ 1")
        #expect(StatementMarker.mark("/* a */ -- pgadvisor: x\n  WITH x AS (SELECT 1) SELECT * FROM x")
            == "/* a */ -- pgadvisor: x\n  WITH /* pgadvisor */ x AS (SELECT 1) SELECT * FROM x")
        #expect(StatementMarker.mark("-- pgadvisor: transaction\nBEGIN") == "-- pgadvisor: transaction\nBEGIN /* pgadvisor */")
        #expect(StatementMarker.mark("-- pgadvisor: x\nSELECT /* pgadvisor */ 1") == "-- pgadvisor: x\nSELECT /* pgadvisor */ 1", "marked once")
        #expect(StatementMarker.mark("-- pgadvisor: x\n(SELECT 1)") == "-- pgadvisor: x\n(SELECT 1)", "no leading keyword: unchanged")
        #expect(StatementMarker.mark("-- pgadvisor: x\n/* never closed SELECT 1") == "-- pgadvisor: x\n/* never closed SELECT 1")
    }

    /// Statements without pgadvisor's comment (an application's, a test fixture's) stay unmarked.
    @Test func othersStatementsStayAsTheyAre() {
        #expect(StatementMarker.mark("SELECT count(*) FROM t WHERE id = 7") == "SELECT count(*) FROM t WHERE id = 7")
        #expect(StatementMarker.mark("-- report\nSELECT 1") == "-- report\nSELECT 1")
    }

    @Test func markedTextsAreRecognizedAsPgadvisors() {
        func stats(_ text: String) -> StatementStats { StatementStats(queryId: 1, query: text, calls: 1, totalExecTime: 1) }
        // PostgreSQL 18 keeps the text from the first keyword; older versions keep the comment too.
        #expect(stats("SELECT /* pgadvisor */ name FROM pg_settings WHERE name = $1").isCausedByPgadvisor)
        #expect(stats("-- pgadvisor: settings\nSELECT /* pgadvisor */ name FROM pg_settings").isCausedByPgadvisor)
        #expect(stats("-- app\nWITH /* pgadvisor */ x AS (SELECT $1) SELECT * FROM x").isCausedByPgadvisor)
        #expect(!stats("SELECT * FROM t WHERE note = $1 /* pgadvisor */").isCausedByPgadvisor)
        #expect(!stats("SELECT name FROM pg_settings WHERE name = $1").isCausedByPgadvisor)
    }
}
