import Model

/// An audit rule: a pure function from a snapshot to findings, described by a static value.
///
/// Each rule is one type in one file, `Rules/<Category>/<Name>Rule.swift`. The engine checks the
/// declared requirements before calling `evaluate`; a rule that finds out only while evaluating
/// that it cannot judge throws ``RuleSkip``.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding]
    /// What the rule lists at info while it waits for older statistics: called instead of
    /// `evaluate` when only a `statisticsAge` requirement is unmet (the rule is still reported
    /// as skipped). Objects to watch, not verdicts; most rules list nothing.
    static func watch(_ context: RuleContext) -> [Finding]
}

extension Rule {
    public static func watch(_ context: RuleContext) -> [Finding] { [] }
}

/// Thrown by a rule that cannot judge this snapshot; the report lists the rule with `reason`.
public struct RuleSkip: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// What a rule sees: the snapshot, lookups computed once per audit, and its parameters.
public struct RuleContext: Sendable {
    public let snapshot: Snapshot
    public let facts: SnapshotFacts
    public let parameters: RuleParameters
    /// The machine the server runs on (RAM, CPUs, storage, workload), when the user gave it.
    public let host: TuningInputs?
    /// The index advisor's result costed on the live server (hypopg); nil lets missing-index
    /// estimate from the snapshot.
    public let indexAdvice: IndexAdvice?

    public init(
        snapshot: Snapshot, facts: SnapshotFacts, parameters: RuleParameters, host: TuningInputs? = nil,
        indexAdvice: IndexAdvice? = nil
    ) {
        self.snapshot = snapshot
        self.facts = facts
        self.parameters = parameters
        self.host = host
        self.indexAdvice = indexAdvice
    }
}
