import Core
import Model
import Testing

/// Findings matched by rule and target across two audits.
@Suite struct FindingChangesTests {
    static func finding(_ rule: String, _ table: String, _ severity: Severity) -> Finding {
        Finding(rule: rule, severity: severity, target: .relation(Example.qualifiedName(table)), message: "\(rule) on \(table)")
    }

    @Test func newResolvedChangedAndNoLongerJudged() {
        let old = AuditResult(findings: [
            Self.finding("table-bloat", "app.a", .warning),
            Self.finding("vacuum-overdue", "app.b", .info),
            Self.finding("unused-index", "app.c_idx", .warning),
            Self.finding("unused-index", "app.d_idx", .warning),
        ], skipped: [], evaluated: ["table-bloat", "vacuum-overdue", "unused-index"], disabled: [])
        let new = AuditResult(findings: [
            Self.finding("table-bloat", "app.a", .critical),
            Self.finding("invalid-index", "app.e_idx", .warning),
            Self.finding("unused-index", "app.c_idx", .info),
        ], skipped: [SkippedRule(rule: "unused-index", reason: "statistics cover only 10 min")],
           evaluated: ["table-bloat", "vacuum-overdue", "invalid-index"], disabled: [])
        let c = FindingChanges.compare(old: old, new: new)
        #expect(c.new.map(\.finding.target.display) == ["app.e_idx"])
        #expect(c.new.first?.skippedReason == nil)
        #expect(c.resolved.map(\.finding.rule) == ["vacuum-overdue"])
        #expect(c.severityChanged.map { "\($0.finding.rule) \($0.oldSeverity?.rawValue ?? "") → \($0.finding.severity.rawValue)" }
            == ["table-bloat warning → critical", "unused-index warning → info"])
        // OLD's finding on d_idx is not resolved: NEW did not judge unused-index.
        #expect(c.notJudged.map(\.finding.target.display) == ["app.d_idx"])
        #expect(c.notJudged.first?.skippedReason == "statistics cover only 10 min")
        #expect(c.highestNewSeverity == .critical)
    }

    @Test func aRuleOldSkippedIsFirstJudgedNotMerelyNew() {
        let old = AuditResult(findings: [], skipped: [SkippedRule(rule: "memory-settings", reason: "needs the machine's memory")],
                              evaluated: [], disabled: [])
        let new = AuditResult(findings: [Self.finding("memory-settings", "app.x", .info)], skipped: [], evaluated: ["memory-settings"], disabled: [])
        let c = FindingChanges.compare(old: old, new: new)
        #expect(c.new.first?.skippedReason == "needs the machine's memory")
        #expect(c.highestNewSeverity == .info)
    }

    @Test func aFindingOnADroppedIndexIsResolvedThoughNewSkippedItsRule() {
        let old = AuditResult(findings: [Self.finding("unused-index", "app.d_idx", .warning), Self.finding("unused-index", "app.c_idx", .warning)],
                              skipped: [], evaluated: ["unused-index"], disabled: [])
        let new = AuditResult(findings: [], skipped: [SkippedRule(rule: "unused-index", reason: "statistics cover only 10 min")],
                              evaluated: [], disabled: [])
        let c = FindingChanges.compare(old: old, new: new)
            .accountingFor(StatisticsResets(), statementsNow: [], relationsNow: [Example.qualifiedName("app.c_idx")])
        #expect(c.resolved.map(\.finding.target.display) == ["app.d_idx"])
        #expect(c.resolved.first?.skippedReason == nil)
        #expect(c.notJudged.map(\.finding.target.display) == ["app.c_idx"])
    }

    @Test func onlyFindingsOfCountedRulesAreMarkedAsGoneAfterAReset() {
        let setting = Finding(rule: "logging-settings", severity: .info, target: .setting("track_io_timing"), message: "off")
        let old = AuditResult(findings: [setting, Self.finding("vacuum-overdue", "app.b", .info)],
                              skipped: [], evaluated: ["logging-settings", "vacuum-overdue"], disabled: [])
        let new = AuditResult(findings: [], skipped: [], evaluated: ["logging-settings", "vacuum-overdue"], disabled: [])
        let reset = StatisticsResets(relations: StatisticsResets.Reset(at: nil, evidence: ["pg_stat_reset()"]))
        let c = FindingChanges.compare(old: old, new: new)
            .accountingFor(reset, statementsNow: [], relationsNow: [Example.qualifiedName("app.b")])
        #expect(c.resolved.map { "\($0.finding.rule) \($0.afterReset)" } == ["logging-settings false", "vacuum-overdue true"])
    }
}
