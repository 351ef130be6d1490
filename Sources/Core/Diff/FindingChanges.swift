import Model

/// The audit's findings compared: matched by rule and target.
public struct FindingChanges: Sendable {
    /// A finding on one side (or both, with another severity).
    public struct Change: Sendable {
        /// NEW's finding (OLD's for a resolved or no longer judged one).
        public var finding: Finding
        /// OLD's severity when it differs from NEW's.
        public var oldSeverity: Severity?
        /// Why the other side did not judge the rule (or the finding), when it did not.
        public var skippedReason: String?
        /// A resolved finding gone after a statistics reset: it may only not have recurred yet.
        public var afterReset = false

        public init(finding: Finding, oldSeverity: Severity? = nil, skippedReason: String? = nil) {
            self.finding = finding
            self.oldSeverity = oldSeverity
            self.skippedReason = skippedReason
        }
    }

    /// In NEW only: a new problem (or a rule OLD skipped, judged now: `skippedReason`).
    public var new: [Change] = []
    /// In OLD only, and NEW ran its rule: fixed, or gone below the thresholds.
    public var resolved: [Change] = []
    /// In both, with another severity.
    public var severityChanged: [Change] = []
    /// In OLD only, and NEW skipped (or turned off) its rule: not judged, so not known to be resolved.
    public var notJudged: [Change] = []

    public init() {}

    /// Compares two audits; each list keeps its audit's ranking.
    public static func compare(old: AuditResult, new: AuditResult) -> FindingChanges {
        struct Key: Hashable {
            var rule: String
            var target: Target
        }
        let key = { (f: Finding) in Key(rule: f.rule, target: f.target) }
        let before = Dictionary(old.findings.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.findings.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let oldSkipped = skipReasons(old), newSkipped = skipReasons(new)
        var changes = FindingChanges()
        for f in new.findings {
            if let o = before[key(f)] {
                if o.severity != f.severity { changes.severityChanged.append(Change(finding: f, oldSeverity: o.severity, skippedReason: newSkipped[f.rule])) }
            } else {
                changes.new.append(Change(finding: f, skippedReason: oldSkipped[f.rule]))
            }
        }
        for f in old.findings where after[key(f)] == nil {
            if let reason = newSkipped[f.rule] {
                changes.notJudged.append(Change(finding: f, skippedReason: reason))
            } else {
                changes.resolved.append(Change(finding: f))
            }
        }
        return changes
    }

    /// Why each rule that did not run was left out.
    private static func skipReasons(_ result: AuditResult) -> [String: String] {
        var reasons = Dictionary(result.skipped.map { ($0.rule, $0.reason) }, uniquingKeysWith: { a, _ in a })
        for rule in result.disabled { reasons[rule] = "turned off by the configuration" }
        return reasons
    }

    /// The highest severity among new findings and findings whose severity rose.
    public var highestNewSeverity: Severity? {
        let raised = severityChanged.filter { $0.finding.severity > ($0.oldSeverity ?? .critical) }
        return (new + raised).map(\.finding.severity).max()
    }
}
