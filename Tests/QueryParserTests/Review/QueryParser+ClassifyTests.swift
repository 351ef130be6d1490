import QueryParser
import Testing

/// What the review reads from a statement's parse tree.
@Suite struct QueryParserClassifyTests {
    @Test(arguments: [
        ("SELECT * FROM t WHERE id = $1", true),
        ("SELECT * FROM t JOIN u USING (id) ORDER BY 1 LIMIT 5", true),
        ("WITH x AS (SELECT 1) SELECT * FROM x", true),
        ("SELECT * FROM t FOR UPDATE", false),
        ("SELECT * FROM (SELECT * FROM t FOR SHARE) s", false),
        ("SELECT 1 INTO newtable", false),
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", false),
        ("UPDATE t SET a = 1", false),
        ("INSERT INTO t VALUES (1)", false),
    ])
    func queriesAndWhetherTheyOnlyRead(sql: String, readOnly: Bool) throws {
        #expect(try QueryParser.classify(sql) == .query(readOnly: readOnly))
    }

    @Test(arguments: [
        ("SET lock_timeout = '5s'", true),
        ("SET LOCAL lock_timeout TO 3000", true),
        ("SET lock_timeout = 0", false),
        ("SET lock_timeout = '0s'", false),
        ("SET lock_timeout TO DEFAULT", false),
        ("RESET lock_timeout", false),
    ])
    func lockTimeoutSettings(sql: String, enabled: Bool) throws {
        #expect(try QueryParser.classify(sql) == .lockTimeout(enabled: enabled))
    }

    @Test func createIndexNamesItsTableAndConcurrently() throws {
        #expect(try QueryParser.classify("CREATE INDEX CONCURRENTLY i ON s.t (a)")
            == .schemaChange(SchemaChange(form: .createIndex(concurrently: true), table: RelationReference(schema: "s", name: "t"))))
        #expect(try QueryParser.classify("CREATE UNIQUE INDEX ON t (a)")
            == .schemaChange(SchemaChange(form: .createIndex(concurrently: false), table: RelationReference(name: "t"))))
    }

    @Test func alterTableSubcommandsInOrder() throws {
        let sql = """
            ALTER TABLE t ALTER COLUMN a TYPE varchar(20) USING a::text, ADD COLUMN b int DEFAULT random() + 1,
              ADD COLUMN c bigserial, ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id) NOT VALID,
              ADD CONSTRAINT nn CHECK (a IS NOT NULL), ALTER COLUMN a SET NOT NULL, VALIDATE CONSTRAINT f, DROP COLUMN z
            """
        guard case .schemaChange(let change) = try QueryParser.classify(sql), case .alterTable(let actions) = change.form else {
            Issue.record("not an ALTER TABLE")
            return
        }
        #expect(change.table == RelationReference(name: "t"))
        #expect(actions == [
            .alterColumnType(column: "a", type: TypeReference(schema: "pg_catalog", name: "varchar", modifiers: [20]), using: true),
            .addColumn(AddedColumn(name: "b", type: TypeReference(schema: "pg_catalog", name: "int4"), defaultCalls: ["random"])),
            .addColumn(AddedColumn(name: "c", type: TypeReference(name: "bigserial"))),
            .addConstraint(AddedConstraint(kind: .foreignKey, name: "f", notValid: true, referencedTable: RelationReference(name: "p"))),
            .addConstraint(AddedConstraint(kind: .check, name: "nn", notNullColumn: "a")),
            .setNotNull(column: "a"),
            .validateConstraint(name: "f"),
            .other("AT_DropColumn"),
        ])
    }

    @Test func typeNamesAsTheServerPrintsThemReadLikeDDL() {
        #expect(QueryParser.typeReference("character varying(100)") == TypeReference(schema: "pg_catalog", name: "varchar", modifiers: [100]))
        #expect(QueryParser.typeReference("numeric(10,2)[]") == TypeReference(schema: "pg_catalog", name: "numeric", modifiers: [10, 2], arrayDepth: 1))
        #expect(QueryParser.typeReference("timestamp(3) with time zone") == TypeReference(schema: "pg_catalog", name: "timestamptz", modifiers: [3]))
        #expect(QueryParser.typeReference("text") == TypeReference(name: "text"))
        #expect(QueryParser.typeReference("int; DROP TABLE t") == nil)
    }

    @Test func otherStatementsAndLockingOnes() throws {
        #expect(try QueryParser.classify("BEGIN") == .other("TransactionStmt"))
        #expect(try QueryParser.classify("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'") == .other("CreateFunctionStmt"))
        #expect(try QueryParser.classify("TRUNCATE t")
            == .schemaChange(SchemaChange(form: .locking("TruncateStmt", concurrently: false), table: RelationReference(name: "t"))))
        #expect(try QueryParser.classify("REINDEX TABLE CONCURRENTLY t")
            == .schemaChange(SchemaChange(form: .locking("ReindexStmt", concurrently: true), table: RelationReference(name: "t"))))
        #expect(throws: ParseError.self) { try QueryParser.classify("SELECT 1; SELECT 2") }
    }
}
