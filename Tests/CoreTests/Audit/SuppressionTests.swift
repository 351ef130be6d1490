import Core
import Model
import Testing

/// `[[suppress]]` entries: which findings they name, until when, and what the result keeps.
struct SuppressionTests {
    static func finding(_ rule: String, _ schema: String, _ name: String, _ severity: Severity = .warning) -> Finding {
        Finding(rule: rule, severity: severity, target: .relation(QualifiedName(schema: schema, name: name)), message: "m")
    }

    static let today = CalendarDay(year: 2026, month: 12, day: 4)!

    static func result(_ findings: [Finding]) -> AuditResult {
        var result = AuditResult(findings: findings, skipped: [], evaluated: [], disabled: [])
        result.unmerged = findings
        return result
    }

    @Test(arguments: [
        ("shop.orders_idx", "shop.orders_idx", true),
        ("shop.*", "shop.orders_idx", true),
        ("shop.*", "billing.orders_idx", false),
        ("*_idx", "shop.orders_idx", true),
        ("shop.orders", "shop.orders_idx", false),
        ("*", "anything", true),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY", false),
    ])
    func targetPatterns(pattern: String, target: String, matches: Bool) {
        let f = Finding(rule: "unused-index", severity: .info, target: .setting(target), message: "m")
        #expect(Suppression(rule: "unused-index", target: pattern, reason: "r").matches(f) == matches)
        #expect(!Suppression(rule: "redundant-index", target: pattern, reason: "r").matches(f), "the rule must match too")
    }

    @Test func aSuppressionMovesItsFindingsOutOfTheRankedList() {
        let kept = Self.finding("unused-index", "shop", "a_idx", .critical)
        let hidden = Self.finding("unused-index", "shop", "b_idx", .critical)
        let other = Self.finding("redundant-index", "shop", "b_idx", .info)
        let entry = Suppression(rule: "unused-index", target: "shop.b_idx", reason: "kept for the year-end report",
                                until: CalendarDay(year: 2026, month: 12, day: 4), file: "pgadvisor.toml", line: 3)
        let result = Self.result([kept, hidden, other]).applying([entry], today: Self.today)
        #expect(result.findings == [kept, other])
        #expect(result.unmerged == [kept, other], "the plan does not fix what is suppressed")
        #expect(result.suppressed == [SuppressedFinding(finding: hidden, suppression: entry)])
        #expect(result.suppressedCount(.critical) == 1 && result.suppressedCount(.info) == 0)
        #expect(result.expiredSuppressions.isEmpty, "the until day itself still counts")
    }

    @Test func anExpiredSuppressionSuppressesNothingAndIsReported() {
        let f = Self.finding("unused-index", "shop", "b_idx", .critical)
        let entry = Suppression(rule: "unused-index", target: "shop.*", reason: "r",
                                until: CalendarDay(year: 2026, month: 12, day: 3), file: "pgadvisor.toml", line: 9)
        let result = Self.result([f]).applying([entry], today: Self.today)
        #expect(result.findings == [f])
        #expect(result.highestSeverity == .critical)
        #expect(result.suppressed.isEmpty)
        #expect(result.expiredSuppressions == [entry])
        #expect(entry.location == "pgadvisor.toml:9")
    }

    @Test func suppressedFindingsDoNotCountForTheHighestSeverity() {
        let critical = Self.finding("unused-index", "shop", "b_idx", .critical)
        let info = Self.finding("redundant-index", "shop", "c_idx", .info)
        let result = Self.result([critical, info]).applying(
            [Suppression(rule: "unused-index", target: "*", reason: "r")], today: Self.today)
        #expect(result.highestSeverity == .info)
    }

    @Test(arguments: ["2026-12-04", "2024-02-29", "0001-01-01"])
    func validDays(text: String) {
        #expect(CalendarDay(parsing: text)?.description == text)
    }

    @Test(arguments: ["2026-13-01", "2026-02-29", "2026-04-31", "2026-1-01", "20261204", "2026-12-04T00:00", "", "２０２６-12-04"])
    func invalidDays(text: String) {
        #expect(CalendarDay(parsing: text) == nil)
    }

    @Test func daysCompareInCalendarOrder() {
        #expect(CalendarDay(parsing: "2026-09-30")! < CalendarDay(parsing: "2026-10-01")!)
        #expect(CalendarDay(parsing: "2025-12-31")! < CalendarDay(parsing: "2026-01-01")!)
    }
}
