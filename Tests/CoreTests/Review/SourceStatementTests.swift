import Core
import QueryParser
import Testing

/// Files split into statements at their lines and columns, syntax errors located in the file.
@Suite struct SourceStatementTests {
    @Test func syntaxErrorIsLocatedInTheFileAndOtherStatementsStillParse() throws {
        let text = "-- header\nSELECT 1;\n\n  SELECT é, FROM t;\nSELECT 2;\n"
        let statements = SourceStatement.read(text, file: "q.sql")
        #expect(statements.map(\.line) == [2, 4, 5])
        #expect(statements.map(\.column) == [1, 3, 1])
        #expect(statements[0].text == "SELECT 1")
        guard case .failure(let error) = statements[1].parsed else { Issue.record("expected a syntax error"); return }
        #expect(error.message.contains("FROM"))
        // "  SELECT é, FROM": FROM is the 13th character of line 4 (é, two bytes, counts once).
        #expect(statements[1].errorLine == 4)
        #expect(statements[1].errorColumn == 13)
        guard case .success(.query(readOnly: true)) = statements[2].parsed else { Issue.record("expected a query"); return }
    }

    @Test func unsplittableTextIsOneFailingStatement() {
        let statements = SourceStatement.read("SELECT 1;\nSELECT 'open\n", file: "q.sql")
        #expect(statements.count == 1)
        guard case .failure = statements[0].parsed else { Issue.record("expected a failure"); return }
        #expect(statements[0].errorLine == 2)
    }

    @Test func blockCommentsBeforeAStatementAreSkipped() {
        let statements = SourceStatement.read("/* a /* nested */ note */\n  /* b */ SELECT 1;", file: "q.sql")
        #expect(statements.first?.line == 2)
        #expect(statements.first?.column == 11)
        #expect(statements.first?.text == "SELECT 1")
    }
}
