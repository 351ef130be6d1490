/// One problem an audit rule found: what, where, how bad, the numbers behind it, and the fix.
public struct Finding: Equatable, Sendable {
    /// The rule's stable id, e.g. `unused-index`.
    public var rule: String
    public var severity: Severity
    public var target: Target
    /// One or two sentences saying what is wrong and why it matters.
    public var message: String
    public var evidence: [Evidence]
    /// Structured fixes; the planner renders them as SQL. Empty when there is nothing to run.
    public var remediations: [Remediation]
    public var impact: Impact
    /// Caveats a DBA should weigh before acting (replicas, batch jobs, estimates).
    public var notes: [String]
    /// Other findings whose fix also fixes this one (a slow statement fixed by the index
    /// missing-index advises): the report points to them and counts the problem once.
    public var fixedBy: [FindingLink] = []

    public init(
        rule: String, severity: Severity, target: Target, message: String, evidence: [Evidence] = [],
        remediations: [Remediation] = [], impact: Impact = .none, notes: [String] = []
    ) {
        self.rule = rule
        self.severity = severity
        self.target = target
        self.message = message
        self.evidence = evidence
        self.remediations = remediations
        self.impact = impact
        self.notes = notes
    }

    public func evidence(_ key: String) -> EvidenceValue? {
        evidence.first { $0.key == key }?.value
    }
}
