import Foundation

import Model
import Testing

@Suite struct SQLQuotingTests {
    static let identifierCases: [(name: String, quoted: String)] = [
        ("orders", "orders"),
        ("Orders", #""Orders""#),
        ("order", #""order""#),  // reserved
        ("user", #""user""#),  // reserved
        ("select", #""select""#),  // reserved
        ("name", "name"),  // unreserved
        ("between", #""between""#),  // column-name keyword
        ("int", #""int""#),  // column-name keyword
        ("authorization", #""authorization""#),  // type/function-name keyword
        ("my table", #""my table""#),
        ("my.table", #""my.table""#),
        (#"a"b"#, #""a""b""#),
        (#"Note "Text""#, #""Note ""Text""""#),
        ("a\"\u{301}b", "\"a\"\"\u{301}b\""),  // a quote carrying a combining accent is still doubled
        ("café", #""café""#),
        ("1abc", #""1abc""#),
        ("_x1", "_x1"),
        ("x_1_", "x_1_"),
        ("", #""""#),
    ]

    static let literalCases: [(value: String, quoted: String)] = [
        ("orders", "'orders'"),
        ("", "''"),
        ("O'Reilly", "'O''Reilly'"),
        (#"C:\tmp"#, #"E'C:\\tmp'"#),
        (#"it's a\b"#, #"E'it''s a\\b'"#),
        ("'\u{301}", "'''\u{301}'"),
    ]

    @Test(arguments: identifierCases)
    func identifier(name: String, quoted: String) {
        #expect(SQLQuoting.identifier(name) == quoted)
    }

    @Test(arguments: [
        (QualifiedName(schema: "public", name: "orders"), "public.orders"),
        (QualifiedName(schema: "shop", name: "Order Notes"), #"shop."Order Notes""#),
        (QualifiedName(schema: "user", name: "table"), #""user"."table""#),
        (QualifiedName(schema: "a.b", name: "c"), #""a.b".c"#),
    ])
    func qualified(name: QualifiedName, quoted: String) {
        #expect(SQLQuoting.qualified(name) == quoted)
    }

    @Test(arguments: literalCases)
    func literal(value: String, quoted: String) {
        #expect(SQLQuoting.literal(value) == quoted)
    }

    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["PGADVISOR_TEST_URL"] != nil,
            "set PGADVISOR_TEST_URL to a libpq URI (e.g. from scripts/postgres url) to compare with the server"
        )
    )
    func matchesServerQuoteFunctions() throws {
        let inputs = Self.identifierCases.map(\.name) + Self.literalCases.map(\.value)
        let values = inputs.map { "(\(SQLQuoting.literal($0)))" }.joined(separator: ", ")
        let rows = try psql("""
            SELECT x, quote_ident(x), quote_literal(x) FROM (VALUES \(values)) AS v(x)
            UNION ALL SELECT word, quote_ident(word), quote_literal(word) FROM pg_get_keywords()
            """)

        #expect(Set(rows.map { $0[0] }).isSuperset(of: inputs), "every input survives literal() unchanged")
        #expect(rows.count > inputs.count + 400, "pg_get_keywords() lists every keyword")
        for row in rows {
            #expect(SQLQuoting.identifier(row[0]) == row[1], "quote_ident(\(row[0]))")
            #expect(SQLQuoting.literal(row[0]) == row[2], "quote_literal(\(row[0]))")
        }
    }

    /// Runs one statement with psql against `PGADVISOR_TEST_URL`; each row as its fields.
    private func psql(_ sql: String) throws -> [[String]] {
        let environment = ProcessInfo.processInfo.environment
        let url = try #require(environment["PGADVISOR_TEST_URL"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Unaligned, tuples only, fields and rows ended by NUL bytes, which text values cannot hold.
        process.arguments = ["psql", url, "-X", "-A", "-t", "-q", "-z", "-0", "-c", sql]
        process.environment = environment.merging(["PGCLIENTENCODING": "UTF8"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "psql failed (its messages are on stderr)")

        let fields = String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
        try #require(fields.count.isMultiple(of: 3), "psql output has whole rows")
        return stride(from: 0, to: fields.count, by: 3).map { Array(fields[$0..<$0 + 3]) }
    }
}
