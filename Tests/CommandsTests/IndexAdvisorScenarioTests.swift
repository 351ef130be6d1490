import Foundation
import Testing
import TestSupport

/// The index advisor against the real server with hypopg: the planted suite whose right indexes
/// are known (bench/index-suite), a clean pgbench database, a pre-release review from a .sql file.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct IndexAdvisorScenarioTests {
    /// The `indexes --format json` report, as plain values.
    struct Report {
        var object: [String: Any]
        var recommendations: [[String: Any]] { object["recommendations"] as? [[String: Any]] ?? [] }
        var indexes: [String] { recommendations.compactMap { $0["index"] as? String } }
        var rejections: [String: String] {
            var result: [String: String] = [:]
            for r in object["rejections"] as? [[String: String]] ?? [] { result[r["index"] ?? ""] = r["reason"] }
            return result
        }
        var skipped: [[String: Any]] { object["skippedStatements"] as? [[String: Any]] ?? [] }

        func recommendation(_ index: String) throws -> [String: Any] {
            try #require(recommendations.first { $0["index"] as? String == index }, "\(index) not in \(indexes)")
        }
    }

    static func indexes(_ arguments: [String]) throws -> Report {
        try report(run(arguments))
    }

    static func run(_ arguments: [String]) throws -> String {
        let r = try CLI.run(["indexes"] + arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    static func report(_ json: String) throws -> Report {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
        #expect(object["schemaVersion"] as? Int == 1)
        return Report(object: object)
    }

    /// The indexes the suite plants a need for, exactly as the advisor must write them.
    static let expected: Set<String> = [
        "suite.customers ((lower(email)))",
        "suite.orders (customer_id, created_at)",
        "suite.order_items (order_id)",
        "suite.products (sku)",
        "suite.events (account_id, created_at)",
        "suite.messages (thread_id, posted_at)",
        "suite.tickets (assignee_id)",
        "suite.jobs (run_at) WHERE finished_at IS NULL",
    ]

    /// The suite's JSON report, computed once for the tests that read it.
    static let suiteJSON: Result<String, any Error> = Result {
        try TestServer.freshDatabase("pgadvisor_suite")
        try PostgresTools.psql("pgadvisor_suite", ["-f", "bench/index-suite/schema.sql"])
        try PostgresTools.pgbench("pgadvisor_suite", ["-n", "-M", "simple", "-f", "bench/index-suite/workload.pgbench", "-t", "8"])
        return try run([TestServer.uri("pgadvisor_suite"), "--explain-rejections"])
    }

    static func suite() throws -> Report { try report(suiteJSON.get()) }

    @Test func plantedSuiteIsFoundWithTheExactColumnOrderAndNothingElse() throws {
        let report = try Self.suite()
        #expect(report.object["verified"] as? Bool == true)
        #expect(Set(report.indexes) == Self.expected, "missed \(Self.expected.subtracting(report.indexes)), extra \(Set(report.indexes).subtracting(Self.expected))")
        #expect((report.object["explainCalls"] as? Int ?? 0) > 0)
        #expect((report.object["relativeCost"] as? Double ?? 1) < 0.2)
    }

    @Test func oneCompositeIndexServesBothOrderStatements() throws {
        let report = try Self.suite()
        let orders = try report.recommendation("suite.orders (customer_id, created_at)")
        let statements = try #require(orders["statements"] as? [[String: Any]])
        let texts = statements.compactMap { $0["text"] as? String }
        #expect(texts.contains { $0.contains("customer_id = $1") && !$0.contains("created_at") })
        #expect(texts.contains { $0.contains("created_at >= $2") })
        // The narrower index is a near-duplicate: rejected with the index that serves instead.
        let narrow = try #require(report.rejections["suite.orders (customer_id)"])
        #expect(narrow.contains("suite.orders (customer_id, created_at)"), "\(narrow)")
    }

    @Test func everyRecommendationCarriesItsNumbersAndQuotedSQL() throws {
        let report = try Self.suite()
        for r in report.recommendations {
            let sql = try #require(r["sql"] as? String)
            #expect(sql.hasPrefix("CREATE INDEX CONCURRENTLY IF NOT EXISTS "), "\(sql)")
            #expect((r["estimatedSizeBytes"] as? Int ?? 0) > 8192)
            let statements = try #require(r["statements"] as? [[String: Any]])
            #expect(!statements.isEmpty)
            for s in statements {
                let before = try #require(s["costBefore"] as? Double), after = try #require(s["costAfter"] as? Double)
                #expect(after < before * 0.9, "\(r["index"] ?? "") \(s["text"] ?? "")")
                #expect((s["calls"] as? Int ?? 0) > 0)
                #expect(s["savedMsPerCall"] as? Double != nil)
            }
            // The counters cover minutes: totals since the reset, no per-day extrapolation.
            let write = r["writeOverhead"] as? [String: Any]
            #expect(write?["entries"] as? Double == 0, "\(write ?? [:])")
            #expect(write?["entriesPerDay"] == nil)
            #expect(r["savedMsPerDay"] == nil)
            #expect((r["savedMs"] as? Double ?? 0) > 0)
        }
        let jobs = try report.recommendation("suite.jobs (run_at) WHERE finished_at IS NULL")
        #expect(jobs["sql"] as? String == "CREATE INDEX CONCURRENTLY IF NOT EXISTS jobs_run_at_partial_idx ON suite.jobs (run_at) WHERE finished_at IS NULL;")
        let customers = try report.recommendation("suite.customers ((lower(email)))")
        #expect(customers["sql"] as? String == "CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_lower_email_idx ON suite.customers ((lower(email)));")
    }

    @Test func servedStatementsAndSmallTablesGetNoIndexWithTheReason() throws {
        let report = try Self.suite()
        #expect(!report.indexes.contains { $0.hasPrefix("suite.accounts") || $0.hasPrefix("suite.countries") })
        #expect(report.rejections["suite.accounts (code)"]?.contains("already served by suite.accounts_code_idx") == true,
                "\(report.rejections)")
        #expect(report.rejections["suite.countries (region)"]?.contains("too small") == true, "\(report.rejections)")
    }

    @Test func cleanPgbenchGetsNoRecommendation() throws {
        try TestServer.freshDatabase("pgadvisor_bench_idx", setup: [
            "CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg",
        ])
        try PostgresTools.pgbench("pgadvisor_bench_idx", ["-i", "-s", "5", "-q"])
        try PostgresTools.psql("pgadvisor_bench_idx", ["-c", "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)"])
        try PostgresTools.pgbench("pgadvisor_bench_idx", ["-c", "2", "-j", "2", "-t", "300"])
        let report = try Self.indexes([TestServer.uri("pgadvisor_bench_idx")])
        #expect(report.object["verified"] as? Bool == true)
        // The advisor read the workload and judged its candidates (the primary keys serve them):
        // no recommendation is an answer, not a skip.
        #expect((report.object["candidates"] as? Int ?? 0) > 0, "\(report.object)")
        #expect(report.indexes.isEmpty, "\(report.indexes)")
    }

    @Test func preReleaseReviewFromASQLFile() throws {
        _ = try Self.suite()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-review-\(getpid()).sql")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            -- statements of the next release
            SELECT id, total FROM suite.orders WHERE status = 'open' AND created_at > now() - interval '1 day';
            SELECT * FROM suite.events WHERE kind = 'buy' ORDER BY created_at DESC LIMIT 50;
            VACUUM suite.orders;
            SELECT FROM WHERE;
            """.write(to: file, atomically: true, encoding: .utf8)
        let report = try Self.indexes([TestServer.uri("pgadvisor_suite"), "--queries", file.path])
        #expect(report.object["source"] as? String == "statements of \(file.path)")
        #expect(report.indexes.contains("suite.events (kind, created_at)"), "\(report.indexes)")
        let reasons = report.skipped.compactMap { $0["reason"] as? String }
        #expect(reasons.contains { $0.contains("utility statement (VacuumStmt)") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("syntax error") }, "\(reasons)")
    }

    @Test func normalizedTextTheServerCannotTypeAsIsIsStillCosted() throws {
        _ = try Self.suite()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-normalized-\(getpid()).sql")
        defer { try? FileManager.default.removeItem(at: file) }
        // pg_stat_statements' text of TPC-H-like statements: extract's field, arithmetic between
        // parameters and CASE results are parameters the server rejects or cannot type.
        try """
            SELECT extract($1 FROM created_at), sum(CASE WHEN status = $2 THEN $3 ELSE $4 END)
            FROM suite.orders WHERE customer_id = $5 GROUP BY 1;
            SELECT sum(total) FROM suite.orders
            WHERE customer_id = $1 AND total BETWEEN $2 - $3 AND $4 + $5 AND created_at > date $6 - interval $7;
            """.write(to: file, atomically: true, encoding: .utf8)
        let report = try Self.indexes([TestServer.uri("pgadvisor_suite"), "--queries", file.path])
        #expect(report.skipped.isEmpty, "\(report.skipped)")
        #expect(report.object["costedStatements"] as? Int == 2)
        #expect(report.indexes.contains { $0.hasPrefix("suite.orders (customer_id") }, "\(report.indexes)")
    }

    @Test func withoutHypopgTheAdviceIsMarkedUnverifiedAndSaysHowToVerify() throws {
        _ = try Self.suite()
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-suite-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: snapshot) }
        let taken = try CLI.run(["snapshot", TestServer.uri("pgadvisor_suite"), "--output", snapshot.path])
        #expect(taken.status == 0, "\(taken.stderr)")
        let report = try Self.indexes(["--from", snapshot.path])
        #expect(report.object["verified"] as? Bool == false)
        #expect(report.object["explainCalls"] as? Int == 0)
        let notes = report.object["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("CREATE EXTENSION hypopg") }, "\(notes)")
        // The ordering rules are the same without the planner.
        #expect(report.indexes.contains("suite.events (account_id, created_at)"), "\(report.indexes)")
    }

    @Test func auditReportsVerifiedMissingIndexFindings() throws {
        _ = try Self.suite()
        let r = try CLI.run(["audit", TestServer.uri("pgadvisor_suite"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let all = object["findings"] as? [[String: Any]] ?? []
        let findings = all.filter { $0["rule"] as? String == "missing-index" }
        for f in findings {
            #expect(f["severity"] as? String == "warning")
            #expect((f["evidence"] as? [String: Any])?["verified"] as? Bool == true)
        }
        // Every advised index is created once: where an unindexed foreign key asks for the same
        // index (order_items.order_id) the two findings are one, naming both rules.
        let created = all.flatMap { ($0["actions"] as? [[String: Any]] ?? []).compactMap { $0["sql"] as? String } }
            .filter { $0.hasPrefix("CREATE INDEX") }
        let suite = try Self.suite()
        let advised = suite.recommendations.compactMap { $0["sql"] as? String }
        #expect(Set(created) == Set(advised), "\(created)")
        #expect(created.count == advised.count)
        let orderItems = try #require(all.first { ($0["actions"] as? [[String: Any]])?.first?["sql"] as? String == "CREATE INDEX CONCURRENTLY IF NOT EXISTS order_items_order_id_idx ON suite.order_items (order_id);" })
        let notes = (orderItems["notes"] as? [String] ?? []).joined(separator: " ")
        #expect(notes.contains("Also reported by"), "\(orderItems)")
    }

    @Test func unknownFileAndBadOptionsAreOneLineErrors() throws {
        let missing = try CLI.run(["indexes", "--queries", "/nonexistent/review.sql", "--from", "/nonexistent/s.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file: /nonexistent/review.sql"), "\(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let directory = try CLI.run(["indexes", "--queries", NSTemporaryDirectory(), "--from", "/nonexistent/s.json"])
        #expect(directory.status == 1)
        #expect(directory.stderr.contains("is a directory: pass a .sql file"), "\(directory.stderr)")
        let bad = try CLI.run(["indexes", "--max-indexes", "0"])
        #expect(bad.status == 64, "\(bad.stderr)")
        let badSize = try CLI.run(["indexes", "--from", "/dev/null", "--max-size", "lots"])
        #expect(badSize.status == 64, "\(badSize.stderr)")
    }
}
