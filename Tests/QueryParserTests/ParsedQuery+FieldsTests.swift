import QueryParser
import Testing

@Suite struct ParsedQueryFieldsTests {
    @Test func readsFieldsAnywhereInTheTree() throws {
        let parsed = try QueryParser.parse(#"SELECT "Total" FROM "My Schema".orders o JOIN public."Line Items" l USING (id) WHERE o.note = 'it''s'"#)
        #expect(parsed.strings(named: "schemaname") == ["My Schema", "public"])
        #expect(parsed.strings(named: "relname") == ["orders", "Line Items"])
        #expect(parsed.strings(named: "sval").contains("it's"))
        #expect(parsed.strings(named: "no_such_field").isEmpty)
    }

    @Test func enumFieldsComeBackByName() throws {
        let parsed = try QueryParser.parse("ALTER MATERIALIZED VIEW shop.totals RESET (fillfactor)")
        #expect(parsed.strings(named: "objtype") == ["OBJECT_MATVIEW"])
    }
}
