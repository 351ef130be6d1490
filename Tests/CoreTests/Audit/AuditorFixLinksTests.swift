@testable import Core
import Model
import Testing

/// One problem, one story: a statement scanning `shop.orders` on every call, the table's
/// sequential scans and the index that ends them are three findings pointing to one fix.
@Suite struct AuditorFixLinksTests {
    static let snapshot: Snapshot = {
        var orders = IndexExamples.ordersTable
        orders.activity = IndexExamples.activity(rows: 300_000, seqScans: 5000, indexScans: 5000)
        let scanPages = orders.pages * 5000
        return Example.snapshot(
            statements: [
                Example.statement(301, "SELECT id, total FROM shop.orders WHERE customer_id = $1 AND created_at > $2",
                                  calls: 5000, meanMs: 20, rows: 5000, hit: scanPages),
                Example.statement(302, "SELECT * FROM shop.orders WHERE id = $1", calls: 5000, meanMs: 0.05),
                Example.statement(303, "INSERT INTO shop.orders (customer_id, status) VALUES ($1, $2)", calls: 5000, meanMs: 0.05),
                Example.statement(304, "EXPLAIN (FORMAT JSON) SELECT * FROM shop.orders WHERE status = $1", calls: 200, meanMs: 0.3),
                Example.statement(305, "SELECT * FROM shop.carts WHERE id = $1", calls: 100_000, meanMs: 0.5, hit: 300_000),
            ],
            tables: [orders],
            indexes: [Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 5000)],
            columnStats: IndexExamples.ordersStats)
    }()

    static let result = Auditor().run(snapshot)

    static func finding(_ rule: String, _ target: String) throws -> Finding {
        try #require(result.findings.first { $0.rule == rule && $0.target.display == target }, "\(rule) \(target)")
    }

    @Test func findingsAboutWhatTheAdvisedIndexFixesPointToIt() throws {
        let index = try Self.finding("missing-index", "shop.orders")
        #expect(index.evidence("queryIds") == .list(["301"]))
        let link = FindingLink(to: index)
        #expect(link.display == "missing-index shop.orders (customer_id, created_at)")
        #expect(try Self.finding("top-time-query", "query 301").fixedBy == [link])
        #expect(try Self.finding("seq-scan-heavy-table", "shop.orders").fixedBy == [link])
        #expect(try Self.finding("top-time-query", "query 305").fixedBy.isEmpty)
    }

    @Test func theSummaryCountsTheProblemOnce() {
        let r = Self.result
        let linked = r.findings.filter { !$0.fixedBy.isEmpty }.count
        #expect(linked == 2)
        #expect(r.problemTotal == r.findings.count - linked)
        #expect(Severity.allCases.map(r.problemCount).reduce(0, +) == r.problemTotal)
    }

    @Test func aStatementScanningATableOnEveryCallLeadsWithTheIndex() throws {
        let scan = try Self.finding("top-time-query", "query 301")
        #expect(scan.message.contains("as a sequential scan of shop.orders (300,000 rows) does"))
        #expect(scan.message.contains("the cost is the scan"))
        #expect(!scan.message.contains("number of calls"))
        #expect(scan.remediations.count == 1)
        #expect(RemediationText.of(scan).first?.hasPrefix("Index the columns it filters on") == true)
        #expect(!RemediationText.of(scan).contains { $0.contains("N+1") })
        #expect(scan.evidence("scannedTable") == .text("shop.orders"))
    }

    @Test func aStatementCheapPerCallKeepsTheCallCountAdvice() throws {
        let cheap = try Self.finding("top-time-query", "query 305")
        #expect(cheap.message.contains("each call is cheap, so the gain is in the cost per call or the number of calls"))
        #expect(RemediationText.of(cheap).contains { $0.contains("N+1") })
    }

    @Test func statementsNamingTheTableShowTextAndLeaveOutLookupsInsertsAndExplains() throws {
        let table = try Self.finding("seq-scan-heavy-table", "shop.orders")
        #expect(table.evidence("statementQueryIds") == .list(["301"]))
        guard case .list(let statements)? = table.evidence("statements") else {
            Issue.record("no statement text")
            return
        }
        #expect(statements.count == 1)
        #expect(statements.first?.contains("SELECT id, total FROM shop.orders WHERE customer_id = $1") == true)
    }
}

/// The manual steps of a finding, as text.
private enum RemediationText {
    static func of(_ finding: Finding) -> [String] {
        finding.remediations.compactMap { if case .manual(let text) = $0 { text } else { nil } }
    }
}
