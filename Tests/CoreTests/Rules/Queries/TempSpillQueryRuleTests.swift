import Core
import Model
import Testing

@Suite struct TempSpillQueryRuleTests {
    static let mb: Int64 = 1 << 20

    @Test func suggestionIsWorkMemPlusTheSpillRoundedUpToAPowerOfTwo() {
        #expect(TempSpillQueryRule.suggestedWorkMem(workMem: 4 * Self.mb, perCallBytes: 8_192_000, cap: 256 * Self.mb) == 16 * Self.mb)
        #expect(TempSpillQueryRule.suggestedWorkMem(workMem: 4 * Self.mb, perCallBytes: 100_000, cap: 256 * Self.mb) == 8 * Self.mb)
        #expect(TempSpillQueryRule.suggestedWorkMem(workMem: 4 * Self.mb, perCallBytes: 1 << 30, cap: 256 * Self.mb) == 256 * Self.mb)
        #expect(TempSpillQueryRule.suggestedWorkMem(workMem: 256 * Self.mb, perCallBytes: 1 << 30, cap: 256 * Self.mb) == nil)
        #expect(TempSpillQueryRule.suggestedWorkMem(workMem: 512 * Self.mb, perCallBytes: 0, cap: 256 * Self.mb) == nil)
    }

    static let report = Example.statement(
        701, "SELECT customer_id, sum(total) FROM orders GROUP BY customer_id ORDER BY 2 DESC",
        calls: 2000, meanMs: 900, tempWritten: 2_000_000)

    @Test func raisesWorkMemForTheRoleNeverServerWide() throws {
        let findings = try QueryServerRuleRun.findings(TempSpillQueryRule.self, Example.snapshot(statements: [Self.report]))
        let f = try #require(findings.first)
        #expect(f.remediations.first == .alterRole(role: "app", name: "work_mem", value: "16MB"))
        #expect(!f.remediations.contains { if case .alterSystem = $0 { true } else { false } })
        #expect(f.evidence("tempBytesWritten") == .bytes(2_000_000 * 8192))
        #expect(f.evidence("tempBytesPerCall") == .bytes(1000 * 8192))
        #expect(f.evidence("workMemBytes") == .bytes(4 * Self.mb))
        #expect(f.message.contains("15 GB"))
    }

    @Test func withoutAKnownRoleOnlyTheTransactionLevelFix() throws {
        var statement = Self.report
        statement.userName = nil
        let f = try #require(try QueryServerRuleRun.findings(TempSpillQueryRule.self, Example.snapshot(statements: [statement])).first)
        #expect(!f.remediations.contains { if case .alterRole = $0 { true } else { false } })
        #expect(f.remediations.contains { if case .manual(let text) = $0 { text.contains("SET LOCAL work_mem = '16MB'") } else { false } })
    }

    @Test func workMemAlreadyAtTheCapAsksForARewrite() throws {
        let snapshot = Example.snapshot(
            settings: [Example.setting("work_mem", "262144", unit: "kB", context: "user")], statements: [Self.report])
        let f = try #require(try QueryServerRuleRun.findings(TempSpillQueryRule.self, snapshot).first)
        #expect(f.message.contains("rewrite"))
        #expect(f.remediations.count == 1)
    }
}
