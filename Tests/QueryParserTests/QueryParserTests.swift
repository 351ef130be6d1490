import Testing
import QueryParser

@Suite struct QueryParserTests {
    @Test(arguments: [
        ("SELECT * FROM orders WHERE customer_id = $1 AND status = $2", "SelectStmt"),
        ("SELECT id FROM orders ORDER BY created_at DESC LIMIT $1 OFFSET $2", "SelectStmt"),
        ("SELECT * FROM orders WHERE id IN ($1, $2, $3)", "SelectStmt"),
        ("INSERT INTO orders (customer_id, total) VALUES ($1, $2) RETURNING id", "InsertStmt"),
        ("UPDATE orders SET status = $1 WHERE id = $2", "UpdateStmt"),
        ("SET application_name = $1", "VariableSetStmt"),
    ])
    func parsesNormalizedStatementText(sql: String, kind: String) throws {
        let parsed = try QueryParser.parse(sql)
        #expect(parsed.statementCount == 1)
        #expect(parsed.statementKinds == [kind])
        #expect(parsed.tree.contains(#""ParamRef":{"number":1"#))
    }

    @Test func parsesCTEJoinAndSubquery() throws {
        let parsed = try QueryParser.parse("""
            WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day')
            SELECT c.name, count(*)
            FROM recent r JOIN customers c ON c.id = r.customer_id
            WHERE r.total > (SELECT avg(total) FROM orders)
            GROUP BY c.name
            """)
        #expect(parsed.statementKinds == ["SelectStmt"])
        #expect(parsed.tree.contains(#""withClause""#))
        #expect(parsed.tree.contains(#""JoinExpr""#))
        #expect(parsed.tree.contains(#""SubLink""#))
    }

    @Test func keepsSchemaQualifiedAndQuotedIdentifiers() throws {
        let parsed = try QueryParser.parse(#"SELECT "Note ""Text""" FROM shop."Order Notes""#)
        #expect(parsed.statementKinds == ["SelectStmt"])
        #expect(parsed.tree.contains(#""schemaname":"shop","relname":"Order Notes""#))
        #expect(parsed.tree.contains(#"{"String":{"sval":"Note \"Text\""}}"#))
    }

    @Test func countsEveryStatement() throws {
        let parsed = try QueryParser.parse("SET search_path = shop; SELECT 1;")
        #expect(parsed.statementCount == 2)
        #expect(parsed.statementKinds == ["VariableSetStmt", "SelectStmt"])
    }

    @Test(arguments: ["", "   ", "-- only a comment", ";"])
    func emptyTextHasNoStatements(sql: String) throws {
        let parsed = try QueryParser.parse(sql)
        #expect(parsed.statementCount == 0)
        #expect(parsed.statementKinds.isEmpty)
    }

    @Test func syntaxErrorHasServerMessageAndPosition() {
        let error = #expect(throws: ParseError.self) { try QueryParser.parse("SELECT FROM FROM orders") }
        #expect(error == ParseError(message: #"syntax error at or near "FROM""#, cursorPosition: 13))
        #expect(error?.description == #"syntax error at or near "FROM" (at character 13)"#)
    }

    @Test func cursorPositionCountsCharactersNotBytes() {
        let error = #expect(throws: ParseError.self) { try QueryParser.parse("SELECT 'café' FROM") }
        #expect(error?.message == "syntax error at end of input")
        #expect(error?.cursorPosition == 19)
    }

    @Test func rejectsNULByte() {
        #expect(throws: ParseError.self) { try QueryParser.parse("SELECT 1\0; DROP TABLE orders") }
    }

    @Test func errorWithoutPositionIsJustTheMessage() {
        #expect(ParseError(message: "out of memory").description == "out of memory")
    }

    @Test func fingerprintIgnoresConstants() throws {
        let a = try QueryParser.fingerprint("SELECT * FROM orders WHERE id = 42 AND status = 'paid'")
        let b = try QueryParser.fingerprint("SELECT * FROM orders WHERE id = $1 AND status = 'open'")
        let other = try QueryParser.fingerprint("SELECT * FROM customers WHERE id = 42")
        #expect(a == b)
        #expect(a != other)
        #expect(a.count == 16 && a.allSatisfy(\.isHexDigit))
    }

    @Test func fingerprintRejectsInvalidSQL() {
        #expect(throws: ParseError.self) { try QueryParser.fingerprint("SELEC 1") }
    }

    @Test func normalizeReplacesConstants() throws {
        #expect(try QueryParser.normalize("SELECT * FROM orders WHERE id = 42") == "SELECT * FROM orders WHERE id = $1")
        #expect(try QueryParser.normalize("SELECT 'a', 2.5 LIMIT 10") == "SELECT $1, $2 LIMIT $3")
    }

    @Test func normalizeRejectsInvalidSQL() {
        let error = #expect(throws: ParseError.self) { try QueryParser.normalize("SELECT * FROM WHERE") }
        #expect(error?.message == #"syntax error at or near "WHERE""#)
    }

    @Test func parsesConcurrently() async throws {
        let kinds = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<64 {
                group.addTask {
                    let sql = i.isMultiple(of: 2) ? "SELECT \(i) FROM t WHERE x = $1" : "DELETE FROM t WHERE id = \(i)"
                    return try QueryParser.parse(sql).statementKinds
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(kinds.filter { $0 == "SelectStmt" }.count == 32)
        #expect(kinds.filter { $0 == "DeleteStmt" }.count == 32)
    }
}

@Suite struct StatementSplitTests {
    @Test func splitsOnSemicolonsOutsideStringsAndComments() throws {
        let text = "SELECT 'a;b' AS x;\n-- the next one\nSELECT $$;$$;\n\n  VACUUM orders;\nSELECT FROM WHERE"
        let statements = try QueryParser.split(text)
        #expect(statements.map(\.text) == ["SELECT 'a;b' AS x", "-- the next one\nSELECT $$;$$", "VACUUM orders", "SELECT FROM WHERE"])
        #expect(statements.map(\.line) == [1, 2, 5, 6])
    }

    @Test func emptyTextHasNoStatementAndAnUnterminatedStringIsAnError() throws {
        #expect(try QueryParser.split("  ;\n-- nothing\n").isEmpty)
        #expect(throws: ParseError.self) { try QueryParser.split("SELECT 'unterminated") }
    }
}
