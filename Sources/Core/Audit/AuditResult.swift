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
    /// Findings a current `[[suppress]]` entry of the configuration names, in rank order: not
    /// in `findings` (nor counted by `--fail-on`), but counted and listed in the report.
    public var suppressed: [SuppressedFinding] = []
    /// `[[suppress]]` entries whose `until` day has passed: they suppress nothing any more.
    public var expiredSuppressions: [Suppression] = []

    public init(findings: [Finding], skipped: [SkippedRule], evaluated: [String], disabled: [String]) {
        self.findings = findings
        self.skipped = skipped
        self.evaluated = evaluated
        self.disabled = disabled
    }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// Problems of this severity, each counted once: a finding another one fixes (`fixedBy`)
    /// is part of its fixer's problem, which takes the higher of their severities.
    public func problemCount(_ severity: Severity) -> Int {
        problems.filter { $0 == severity }.count
    }

    /// The number of problems: findings that no other finding fixes.
    public var problemTotal: Int { problems.count }

    /// The severity of each problem: a finding no other one fixes, raised to the severity of
    /// the findings it fixes.
    private var problems: [Severity] {
        let roots = findings.filter { f in !f.fixedBy.contains { link in findings.contains { link.refers(to: $0) } } }
        return roots.map { root in
            let link = FindingLink(to: root)
            let fixed = findings.filter { $0.fixedBy.first { l in findings.contains { l.refers(to: $0) } } == link }
            return ([root.severity] + fixed.map(\.severity)).max() ?? root.severity
        }
    }

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
