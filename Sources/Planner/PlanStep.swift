import Model

/// One change of a plan: what it runs, what it undoes it with, what it locks, how long it
/// should take, and the check that must still hold right before it runs.
public struct PlanStep: Codable, Equatable, Sendable {
    /// Derived from the change itself (`create-index:shop.orders (customer_id)`,
    /// `drop-index:shop.orders_created_at_idx`, `alter-system:shared_buffers`), so the same
    /// problem has the same id in tomorrow's plan, in the journal and in `--only`.
    public var id: String
    /// The remediation kind (`create-index`, `drop-index`, `vacuum`, `alter-system`, ...).
    public var kind: String
    /// One line saying what the step does.
    public var summary: String
    /// Why: the message of the highest-ranked finding it resolves.
    public var reason: String
    public var resolves: [FindingRef]
    /// The key numbers behind it (`scans: 0`, `size: 1.1 MB`), for the script's comments.
    public var evidence: [String]
    public var risk: Risk
    /// Statements run one at a time, in order; empty for a manual step.
    public var sql: [String]
    /// Statements that undo it, empty when it cannot be undone (`irreversible`).
    public var rollback: [String]
    public var irreversible: Bool
    /// The lock it takes, in PostgreSQL's words (`SHARE UPDATE EXCLUSIVE on shop.orders`), or `none`.
    public var lock: String
    /// `CONCURRENTLY`, `VACUUM` and `ALTER SYSTEM` refuse to run in a transaction block.
    public var outsideTransaction: Bool
    public var effect: Effect
    public var estimate: DurationEstimate
    /// Read-only check run right before the step: `ready`, `done` (already applied), `invalid`
    /// (a failed concurrent build left the index: drop it first) or `changed`.
    public var precondition: StepCheck
    /// What to look at afterwards.
    public var afterwards: String
    /// The objects it touches, for privilege checks, clean-up and rollback.
    public var object: StepObject
    /// `queryid`s of the statements it should speed up (create-index), for verify.
    public var statements: [Int64]
    /// Impact score of what it resolves (share of time, of space, of a limit), for ranking.
    public var impact: Double
    public var confidence: Confidence
    /// Manual text for a person (risk `manual`).
    public var instructions: String?

    public init(
        id: String, kind: String, summary: String, reason: String = "", resolves: [FindingRef] = [],
        evidence: [String] = [], risk: Risk, sql: [String], rollback: [String] = [], irreversible: Bool = false,
        lock: String = "none", outsideTransaction: Bool = false, effect: Effect = .none,
        estimate: DurationEstimate = .instant, precondition: StepCheck, afterwards: String = "",
        object: StepObject = StepObject(), statements: [Int64] = [], impact: Double = 0,
        confidence: Confidence = .measured, instructions: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.summary = summary
        self.reason = reason
        self.resolves = resolves
        self.evidence = evidence
        self.risk = risk
        self.sql = sql
        self.rollback = rollback
        self.irreversible = irreversible
        self.lock = lock
        self.outsideTransaction = outsideTransaction
        self.effect = effect
        self.estimate = estimate
        self.precondition = precondition
        self.afterwards = afterwards
        self.object = object
        self.statements = statements
        self.impact = impact
        self.confidence = confidence
        self.instructions = instructions
    }

    /// What a setting change needs before it takes effect.
    public enum Effect: String, Codable, Sendable {
        case none
        /// `SELECT pg_reload_conf()` after the step.
        case reload
        /// A server restart; written now.
        case restart
        /// New sessions of the role or database see it.
        case newSessions = "new-sessions"
    }

    /// How sure the finding behind the step is.
    public enum Confidence: String, Codable, Sendable {
        /// Counted by the server (scans, sizes, settings) or costed by the planner with hypopg.
        case measured
        /// Estimated from statistics (bloat, index advice without hypopg).
        case estimated

        var weight: Double { self == .measured ? 1 : 0.5 }
    }
}

/// A read-only SQL check returning one row with one text column, and what it means.
public struct StepCheck: Codable, Equatable, Sendable {
    public var description: String
    /// Empty for manual steps.
    public var sql: String

    public init(_ description: String, sql: String) {
        self.description = description
        self.sql = sql
    }

    /// Values the precondition query returns.
    public enum Outcome: String, Sendable {
        case ready, done, invalid, changed
    }
}

/// The objects a step touches. Each field is set only when the step has one.
public struct StepObject: Codable, Equatable, Sendable {
    public var table: QualifiedName?
    public var index: QualifiedName?
    public var setting: String?
    public var database: String?
    public var role: String?
    /// For a set-storage step, the keys it sets (rollback restores their earlier values).
    public var storageKeys: [String]?
    /// Seconds of `statement_timeout` the step needs: scaled to the object.
    public var statementTimeoutSeconds: Int?

    public init(
        table: QualifiedName? = nil, index: QualifiedName? = nil, setting: String? = nil, database: String? = nil,
        role: String? = nil, storageKeys: [String]? = nil, statementTimeoutSeconds: Int? = nil
    ) {
        self.table = table
        self.index = index
        self.setting = setting
        self.database = database
        self.role = role
        self.storageKeys = storageKeys
        self.statementTimeoutSeconds = statementTimeoutSeconds
    }
}
