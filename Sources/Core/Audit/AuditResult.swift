import Model

/// The outcome of running the rules on one snapshot.
public struct AuditResult: Sendable {
    /// Ranked: severity, then impact, then rule id and target, so reports diff cleanly.
    public var findings: [Finding]
    /// Every finding as its rule reported it, ranked but not merged: the planner merges them by
    /// the change they ask for, and keeps every rule a change resolves.
    public var unmerged: [Finding] = []
    /// Rules that could not judge this snapshot, with the reason, sorted by rule id.
    public var skipped: [SkippedRule]
    /// Ids of the rules that ran (whether or not they found something).
    public var evaluated: [String]
    /// Ids of the rules the configuration turned off.
    public var disabled: [String]

    public init(findings: [Finding], skipped: [SkippedRule], evaluated: [String], disabled: [String]) {
        self.findings = findings
        self.skipped = skipped
        self.evaluated = evaluated
        self.disabled = disabled
    }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// The highest severity found, nil when there is no finding.
    public var highestSeverity: Severity? { findings.map(\.severity).max() }
}

public struct SkippedRule: Equatable, Sendable {
    public var rule: String
    public var reason: String

    public init(rule: String, reason: String) {
        self.rule = rule
        self.reason = reason
    }
}
