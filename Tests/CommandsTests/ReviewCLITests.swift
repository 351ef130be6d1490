import Foundation
import FoundationXML
import Testing
import TestSupport

/// `pgadvisor review` against the real server: a release's files holding a broken statement, a
/// statement that needs an index, risky migrations with their safe twins, and fine statements.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct ReviewCLITests {
    static let database = "pgadvisor_review"

    /// The release under review: the queries file and the migration file, each statement on
    /// its own line so tests can name it by line.
    static let queries = """
        -- queries of the release
        SELECT id, total FROM orders WHERE customer_id = $1;
        SELECT * FROM customers WHERE id = 42;
        SELECT id FROM orders WHERE total > 10 AND FROM;
        SELECT status, count(*) FROM orders GROUP BY status;
        UPDATE customers SET name = 'changed' WHERE id = 1;

        """
    static let migration = """
        CREATE INDEX orders_status_idx ON orders (status);
        SET lock_timeout = '5s';
        CREATE INDEX CONCURRENTLY orders_status_idx2 ON orders (status);
        ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;
        ALTER TABLE orders ALTER COLUMN note TYPE varchar(80);
        ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
        ALTER TABLE orders ADD COLUMN flag boolean DEFAULT false;
        ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
        ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
        ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0);
        ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0) NOT VALID;
        ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
        ALTER TABLE orders ALTER COLUMN created_at SET NOT NULL;

        """

    /// The risky line of the migration file → the check that must fire there; every other
    /// line of the file (the safe twins) must pass.
    static let risky: [Int: String] = [
        1: "create-index-not-concurrently", 4: "column-type-rewrite", 6: "add-column-rewrite",
        8: "constraint-not-valid", 10: "constraint-not-valid", 12: "set-not-null-scan",
    ]

    /// The directory of the two files, with the database set up once.
    static let release: Result<String, any Error> = Result {
        try TestServer.freshDatabase(database, setup: [
            "CREATE EXTENSION hypopg",
            "CREATE TABLE customers (id int PRIMARY KEY, name text)",
            "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 500) g",
            """
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text, total numeric(10,2),
                                 created_at timestamptz, note varchar(50),
                                 CONSTRAINT created_nn CHECK (created_at IS NOT NULL))
            """,
            """
            INSERT INTO orders SELECT g, 1 + g % 500, (ARRAY['new','paid','shipped'])[1 + g % 3], g % 1000,
                   now() - g * interval '1 minute', 'n' FROM generate_series(1, 60000) g
            """,
            "ANALYZE",
        ])
        let directory = NSTemporaryDirectory() + "pgadvisor-review-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/db", withIntermediateDirectories: true)
        try Data(queries.utf8).write(to: URL(fileURLWithPath: directory + "/db/01_queries.sql"))
        try Data(migration.utf8).write(to: URL(fileURLWithPath: directory + "/db/02_migrate.sql"))
        return directory
    }

    static func review(_ arguments: [String]) throws -> CLIResult {
        let directory = try release.get()
        return try CLI.run(["review", "--queries", directory + "/db", TestServer.uri(database), "--large-table-rows", "50000"] + arguments)
    }

    static func json(_ arguments: [String] = []) throws -> [[String: Any]] {
        let r = try review(arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        return object["statements"] as? [[String: Any]] ?? []
    }

    static func statement(_ statements: [[String: Any]], file: String, line: Int) throws -> [String: Any] {
        try #require(statements.first { ($0["file"] as? String ?? "").hasSuffix(file) && $0["line"] as? Int == line },
                     "no statement at \(file):\(line)")
    }

    static func checks(_ statement: [String: Any]) -> [String] {
        (statement["findings"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? String }
    }

    @Test func eachMigrationCheckFiresOnItsCaseAndNotOnItsSafeTwin() throws {
        let statements = try Self.json()
        for line in 1...13 {
            let statement = try Self.statement(statements, file: "02_migrate.sql", line: line)
            let expected = Self.risky[line].map { $0 == "create-index-not-concurrently" ? [$0, "lock-timeout-missing"] : [$0] } ?? []
            #expect(Self.checks(statement) == expected, "line \(line): \(statement)")
            #expect(statement["verdict"] as? String == (Self.risky[line] == nil ? "pass" : "fail"), "line \(line)")
        }
    }

    @Test func brokenStatementIsLocatedAndTheOthersAreStillReviewed() throws {
        let statements = try Self.json()
        #expect(statements.filter { ($0["file"] as? String ?? "").hasSuffix("01_queries.sql") }.count == 5)
        let broken = try Self.statement(statements, file: "01_queries.sql", line: 4)
        let finding = try #require((broken["findings"] as? [[String: Any]])?.first)
        #expect(finding["check"] as? String == "syntax-error")
        #expect(finding["line"] as? Int == 4)
        // "SELECT id FROM orders WHERE total > 10 AND FROM": the error points at the second FROM.
        #expect(finding["column"] as? Int == 44)
        let fine = try Self.statement(statements, file: "01_queries.sql", line: 3)
        #expect(fine["verdict"] as? String == "pass")
        #expect((fine["plan"] as? [String: Any])?["totalCost"] as? Double != nil)
    }

    @Test func statementThatNeedsAnIndexGetsTheVerifiedIndexAndItsFullScanFlagged() throws {
        let statement = try Self.statement(try Self.json(), file: "01_queries.sql", line: 2)
        #expect(Self.checks(statement) == ["seq-scan-large-table", "missing-index"])
        let fix = (statement["findings"] as? [[String: Any]])?.last?["fix"] as? String
        #expect(fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON public.orders (customer_id);")
        let aggregate = try Self.statement(try Self.json(), file: "01_queries.sql", line: 5)
        #expect(Self.checks(aggregate).isEmpty, "a whole-table aggregate has no better plan")
    }

    @Test func exitStatusFollowsFailOn() throws {
        #expect(try Self.review([]).status == 0)
        #expect(try Self.review(["--fail-on", "fail"]).status == 2)
        #expect(try Self.review(["--fail-on", "warning"]).status == 2)
        let fine = NSTemporaryDirectory() + "pgadvisor-review-fine.sql"
        try Data("SELECT * FROM customers WHERE id = 1;\n".utf8).write(to: URL(fileURLWithPath: fine))
        let pass = try CLI.run(["review", "--queries", fine, TestServer.uri(Self.database), "--fail-on", "warning"])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
    }

    @Test func junitParsesWithOneCasePerStatement() throws {
        let r = try Self.review(["--format", "junit"])
        #expect(r.status == 0, "\(r.stderr)")
        let document = try XMLDocument(data: Data(r.stdout.utf8))
        let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        #expect(cases.count == 18)
        let failures = try document.nodes(forXPath: "//testcase[failure]").compactMap { $0 as? XMLElement }
        let failing = Set(failures.compactMap { $0.attribute(forName: "line")?.stringValue.flatMap(Int.init).map { "\($0)" } })
        #expect(failures.count == 6 + 1)
        #expect(failing.contains("4"))
        let broken = try #require(cases.first { $0.attribute(forName: "name")?.stringValue?.contains("01_queries.sql:4 ") == true })
        let message = broken.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue
        #expect(message?.contains("syntax error at or near \"FROM\"") == true)
        #expect(document.rootElement()?.attribute(forName: "failures")?.stringValue == "7")
        // With --fail-on warning, warnings fail too.
        let strict = try XMLDocument(data: Data(try Self.review(["--format", "junit", "--fail-on", "warning"]).stdout.utf8))
        #expect(try strict.nodes(forXPath: "//testcase[failure]").count > 7)
    }

    @Test func githubAnnotationsAreWellFormed() throws {
        let r = try Self.review(["--format", "github", "--fail-on", "fail"])
        #expect(r.status == 2)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let annotation = /^::(error|warning) file=[^,:]+,line=[0-9]+,col=[0-9]+,title=pgadvisor [a-z-]+::[^\r\n]+$/
        let annotations = lines.filter { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") }
        #expect(annotations.count >= 8)
        #expect(annotations.allSatisfy { $0.wholeMatch(of: annotation) != nil }, "\(annotations)")
        #expect(annotations.contains { $0.hasPrefix("::error ") && $0.contains("01_queries.sql,line=4,col=44,title=pgadvisor syntax-error::") })
        #expect(annotations.contains { $0.hasPrefix("::warning ") && $0.contains("missing-index") && $0.contains("%0Afix: CREATE INDEX CONCURRENTLY") })
        #expect(lines.last?.hasPrefix("pgadvisor review — database \(Self.database)") == true)
    }

    @Test func htmlPageParsesAndShowsEveryStatement() throws {
        let r = try Self.review(["--format", "html"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        let document = try XMLDocument(data: Data(r.stdout.dropFirst("<!DOCTYPE html>\n".count).utf8))
        let rows = try document.nodes(forXPath: "//table/tbody/tr")
        #expect(rows.count == 18)
        #expect(r.stdout.contains("02_migrate.sql:1"))
        #expect(r.stdout.contains("<pre>CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON public.orders (customer_id);</pre>"))
        #expect(!r.stdout.contains("<script"))
    }

    @Test func analyzeRunsOnlyReadOnlyStatementsAndChangesNothing() throws {
        let statements = try Self.json(["--analyze"])
        let select = try Self.statement(statements, file: "01_queries.sql", line: 3)
        #expect((select["plan"] as? [String: Any])?["analyzed"] as? Bool == true)
        #expect((select["plan"] as? [String: Any])?["actualRows"] as? Double == 1)
        let update = try Self.statement(statements, file: "01_queries.sql", line: 6)
        #expect((update["plan"] as? [String: Any])?["analyzed"] as? Bool == false)
        #expect((update["notes"] as? [String])?.first?.contains("writes") == true)
        let parameterized = try Self.statement(statements, file: "01_queries.sql", line: 2)
        #expect((parameterized["plan"] as? [String: Any])?["analyzed"] as? Bool == false)
        let name = try PostgresTools.psql(Self.database, ["-A", "-t", "-c", "SELECT name FROM customers WHERE id = 1"])
        #expect(name.trimmingCharacters(in: .whitespacesAndNewlines) == "c1")
        let indexes = try PostgresTools.psql(Self.database, ["-A", "-t", "-c", "SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'"])
        #expect(indexes.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}

/// The review's command line without a server: usage errors, an unreachable server, offline mode.
@Suite struct ReviewOfflineCLITests {
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "pgadvisor-review-\(UUID().uuidString).sql"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [
        (["review", "dbname=x"], "--queries"),
        (["review", "--queries", "x.sql", "--fail-on", "pass"], "--fail-on"),
        (["review", "--queries", "x.sql", "--fail-on", "severe"], "fail-on"),
        (["review", "--queries", "x.sql", "--format", "json", "--output", "x.xml"], "disagree"),
        (["review", "--queries", "x.sql", "--offline", "dbname=x"], "not both"),
        (["review", "--queries", "x.sql", "--offline", "--analyze"], "--analyze"),
        (["review", "--queries", "x.sql", "--large-table-size", "big"], "--large-table-size"),
        (["review", "--queries", "x.sql", "--max-cost", "-1"], "--max-cost"),
    ])
    func usageErrors(arguments: [String], mentions: String) throws {
        CLIErrorTests.expectOneLineError(try CLI.run(arguments), status: 64, mentions: mentions)
    }

    @Test func unreachableServerIsAnErrorThatPointsAtOffline() throws {
        let path = try Self.file("SELECT 1;\n")
        let r = try CLI.run(["review", "--queries", path, "host=127.0.0.1 port=1 user=x password=\(CLIErrorTests.secret) connect_timeout=3"])
        CLIErrorTests.expectOneLineError(r, status: 1, mentions: "--offline")
    }

    @Test func missingFileIsAnError() throws {
        CLIErrorTests.expectOneLineError(try CLI.run(["review", "--queries", "/nonexistent/x.sql", "--offline"]), mentions: "no such file")
    }

    @Test func offlineRunsSyntaxAndMigrationChecksWithWarnings() throws {
        let path = try Self.file("CREATE INDEX i ON t (a);\nSELECT FROM WHERE;\nCREATE INDEX CONCURRENTLY j ON t (a);\n")
        let r = try CLI.run(["review", "--queries", path, "--offline", "--format", "json", "--fail-on", "fail"])
        #expect(r.status == 2, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let statements = object["statements"] as? [[String: Any]] ?? []
        #expect(statements.map { $0["verdict"] as? String } == ["warning", "fail", "pass"])
        #expect(object["offline"] as? Bool == true)
        let warnings = try Self.file("CREATE INDEX i ON t (a);\n")
        #expect(try CLI.run(["review", "--queries", warnings, "--offline", "--fail-on", "fail"]).status == 0)
        #expect(try CLI.run(["review", "--queries", warnings, "--offline", "--fail-on", "warning"]).status == 2)
    }

    @Test func helpListsEveryCheck() throws {
        let r = try CLI.run(["review", "--help"])
        #expect(r.status == 0)
        for id in ["syntax-error", "explain-error", "seq-scan-large-table", "missing-index", "create-index-not-concurrently",
                   "column-type-rewrite", "add-column-rewrite", "constraint-not-valid", "set-not-null-scan", "lock-timeout-missing"] {
            #expect(r.stdout.contains(id), "\(id)")
        }
    }
}
