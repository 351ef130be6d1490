import Core
import Model
import Testing

@Suite struct TopTimeQueryRuleTests {
    /// The demo shop's workload: two unindexed order lookups, a customer lookup by email, and
    /// four fast statements, 700 calls each.
    static let demo = Example.snapshot(statements: [
        Example.statement(1, "SELECT id, created_at, total FROM shop.orders WHERE customer_id = $1 AND status = $2", calls: 700, meanMs: 16.93),
        Example.statement(2, "SELECT o.id FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id WHERE c.id = $1", calls: 700, meanMs: 16.41),
        Example.statement(3, "SELECT id, full_name, country FROM shop.customers WHERE email = $1", calls: 700, meanMs: 2.79),
        Example.statement(4, "UPDATE shop.sessions SET last_seen = now() WHERE id = $1", calls: 700, meanMs: 0.03),
        Example.statement(5, "INSERT INTO shop.tickets (customer_id, subject) VALUES ($1, $2)", calls: 700, meanMs: 0.03),
        Example.statement(6, "SELECT id, name, price FROM shop.products WHERE sku = $1", calls: 700, meanMs: 0.02),
        Example.statement(7, "INSERT INTO shop.audit_log (actor) VALUES ($1)", calls: 700, meanMs: 0.02),
        Example.statement(8, "SELECT pg_stat_statements_reset()", calls: 1, meanMs: 0.06),
    ])

    @Test func demoWorkloadGivesAFewFindingsRankedByShare() throws {
        let findings = try QueryServerRuleRun.findings(TopTimeQueryRule.self, Self.demo)
        #expect(findings.map(\.target) == [.statement(queryId: 1), .statement(queryId: 2), .statement(queryId: 3)])
        #expect(findings.map(\.severity) == [.warning, .warning, .info])
        let first = try #require(findings.first)
        #expect(first.message.contains("46.7%"))
        #expect(first.message.contains("700 calls"))
        #expect(abs(first.impact.score - 0.467) < 0.001)
        #expect(first.evidence("shareOfTotal") == .ratio(first.impact.score))
    }

    @Test func neverReportsWhatSlowQueryReports() throws {
        let snapshot = Example.snapshot(statements: [
            Example.statement(11, "SELECT * FROM a WHERE x = $1", calls: 10_000, meanMs: 100),  // exactly at the line
            Example.statement(12, "SELECT * FROM b WHERE x = $1", calls: 10_000, meanMs: 100.5),
            Example.statement(13, "SELECT * FROM c WHERE x = $1", calls: 100_000, meanMs: 5),
        ])
        let top = try QueryServerRuleRun.findings(TopTimeQueryRule.self, snapshot).map(\.target)
        let slow = try QueryServerRuleRun.findings(SlowQueryRule.self, snapshot).map(\.target)
        #expect(Set(top) == [.statement(queryId: 11), .statement(queryId: 13)])
        #expect(slow == [.statement(queryId: 12)])
        #expect(Set(top).isDisjoint(with: slow))
    }

    @Test func nestedStatementsAreNotCountedNorReported() throws {
        var nested = Example.statement(21, "SELECT * FROM inner_t WHERE id = $1", calls: 1_000_000, meanMs: 0.5)
        nested.toplevel = false
        let snapshot = Example.snapshot(statements: [
            Example.statement(20, "SELECT process_batch($1)", calls: 10_000, meanMs: 60),
            nested,
            Example.statement(22, "SELECT * FROM users WHERE id = $1", calls: 1_000_000, meanMs: 0.1),
        ])
        let findings = try QueryServerRuleRun.findings(TopTimeQueryRule.self, snapshot)
        #expect(findings.map(\.target) == [.statement(queryId: 20), .statement(queryId: 22)])
        // 600 s of 700 s: the nested statement's 500 s are inside its caller's time.
        let share = try #require(findings.first?.impact.score)
        #expect(abs(share - 600.0 / 700.0) < 0.0001)
    }

    @Test func thresholdsAreParameters() throws {
        let findings = try QueryServerRuleRun.findings(
            TopTimeQueryRule.self, Self.demo, ["min-share": "10%", "warning-share": "50%"])
        #expect(findings.map(\.severity) == [.info, .info])
    }
}
