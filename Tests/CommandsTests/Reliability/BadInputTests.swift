import Foundation
import Testing
import TestSupport

/// The README's "Bad input" table, run row by row: each command gives the exit status and the
/// exact one-line message the table shows, and never the password it was given. The table is
/// the list of cases, so the documentation and the test cannot drift apart.
///
/// Placeholders in a row: `<port>` and `<socket>` are the shared test cluster's TCP port and
/// Unix socket directory, `<files>` the directory of fixture files this test writes.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct BadInputTests {
    static let secret = "Sup3r-s3cret!pw"

    struct Row: CustomStringConvertible {
        var number: String
        var input: String
        var arguments: [String]
        var status: Int32
        var message: String
        var description: String { "#\(number) \(input)" }
    }

    /// The rows of the table under `## Bad input` in README.md.
    static func rows() throws -> [Row] {
        let readme = try String(contentsOf: PostgresTools.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "\n## Bad input\n"))
        let end = readme.range(of: "\n## ", range: section.upperBound..<readme.endIndex)?.lowerBound ?? readme.endIndex
        return try readme[section.upperBound..<end].split(separator: "\n").compactMap { line -> Row? in
            let cells = cells(String(line))
            guard cells.count == 5, Int(cells[0]) != nil else { return nil }
            let command = try #require(code(cells[2]), "row \(cells[0]): the command is not in backticks")
            var words = try shellWords(command)
            #expect(words.first == "pgadvisor", "row \(cells[0])")
            words.removeFirst()
            return Row(number: cells[0], input: cells[1], arguments: words, status: try #require(Int32(cells[3])),
                       message: try #require(code(cells[4]), "row \(cells[0]): the message is not in backticks"))
        }
    }

    /// A Markdown table line's cells, `\|` kept as `|`.
    static func cells(_ line: String) -> [String] {
        guard line.hasPrefix("|") else { return [] }
        let marked = line.replacingOccurrences(of: "\\|", with: "\u{1}")
        return marked.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.replacingOccurrences(of: "\u{1}", with: "|").trimmingCharacters(in: .whitespaces) }
    }

    /// The text of a cell that is one code span.
    static func code(_ cell: String) -> String? {
        guard cell.count >= 2, cell.hasPrefix("`"), cell.hasSuffix("`") else { return nil }
        return String(cell.dropFirst().dropLast())
    }

    /// Splits a command line as a POSIX shell would for words and single quotes.
    static func shellWords(_ command: String) throws -> [String] {
        var words: [String] = [], current = "", quoted = false, inWord = false
        for character in command {
            if character == "'" {
                quoted.toggle()
                inWord = true
            } else if character == " " && !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static let files = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-bad-input-\(getpid())").path

    /// The fixture files and the roles the rows use.
    static func prepare() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: files)
        try fm.createDirectory(atPath: files + "/directory.json", withIntermediateDirectories: true)
        let valid = files + "/valid.json"
        let taken = try CLI.run(["snapshot", TestServer.uri(), "--output", valid])
        #expect(taken.status == 0, "\(taken.stderr)")
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: valid))
        let fixtures: [String: Data] = [
            "empty.json": Data(),
            "corrupt.json": Data("{\"schemaVersion\": 1, \"server\": {\"version\": ,}}".utf8),
            "truncated.json": snapshot.prefix(snapshot.count / 2),
            "future.json": Data("{\"schemaVersion\": 99, \"server\": {}}".utf8),
            "list.json": Data("[1, 2, 3]".utf8),
            "other.json": Data("{\"name\": \"pgadvisor\", \"version\": 1}".utf8),
            "binary.json": Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFE]),
            "bad.toml": Data("[rules.unused-index]\nmin-stats-age = 7d\n".utf8),
            "unknown-rule.toml": Data("[rules.no-such-rule]\nx = 1\n".utf8),
            "plan.json": Data("{\"schemaVersion\": 1, \"steps\": []}".utf8),
        ]
        for (name, data) in fixtures { try data.write(to: URL(fileURLWithPath: files + "/" + name)) }
        let admin = try TestServer.admin()
        defer { admin.close() }
        try admin.query("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgadvisor_bad_pw') THEN
                CREATE ROLE pgadvisor_bad_pw LOGIN PASSWORD 'right-password'; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgadvisor_bad_nologin') THEN
                CREATE ROLE pgadvisor_bad_nologin NOLOGIN; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgadvisor_bad_plain') THEN
                CREATE ROLE pgadvisor_bad_plain LOGIN; END IF;
            END $$
            """)
        try admin.query("DROP DATABASE IF EXISTS pgadvisor_bad_closed")
        try admin.query("CREATE DATABASE pgadvisor_bad_closed")
        try admin.query("REVOKE CONNECT ON DATABASE pgadvisor_bad_closed FROM PUBLIC")
    }

    static func substitute(_ text: String) -> String {
        text.replacingOccurrences(of: "<port>", with: TestServer.port)
            .replacingOccurrences(of: "<socket>", with: TestServer.host)
            .replacingOccurrences(of: "<files>", with: files)
    }

    @Test func everyRowOfTheReadmeTableGivesItsMessage() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 40, "the Bad input table has \(rows.count) rows")
        #expect(Set(rows.map(\.number)).count == rows.count, "row numbers repeat")
        try Self.prepare()
        defer { try? FileManager.default.removeItem(atPath: Self.files) }
        for row in rows {
            // No PG* variable of the test environment may fill in what a row leaves out.
            let r = try CLI.run(row.arguments.map(Self.substitute),
                                environment: ["PGHOST": nil, "PGPORT": nil, "PGUSER": nil, "PGDATABASE": nil, "PGPASSWORD": nil])
            let expected = "pgadvisor: error: " + Self.substitute(row.message) + "\n"
            #expect(r.status == row.status, "\(row): exit \(r.status), \(r.stderr)")
            #expect(r.stderr == expected, "\(row):\n  got      \(r.stderr)  expected \(expected)")
            #expect(r.stdout.isEmpty, "\(row): printed \(r.stdout.prefix(200))")
            #expect(!r.stderr.contains(Self.secret), "\(row): the password was echoed")
        }
    }
}
