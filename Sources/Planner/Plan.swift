import Model

/// A fix plan: the changes that resolve an audit's findings, one step per change, in the order
/// they are safe to run. The plan is data: `plan` prints it as a script, `apply` runs exactly
/// these steps, and the journal records them by id.
public struct Plan: Codable, Equatable, Sendable {
    /// The plan format this build writes and the newest it reads.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The program that wrote it, e.g. `pgadvisor 0.1.0`.
    public var generator: String
    /// When the snapshot the plan was built from was collected (server time, UTC).
    public var createdAt: Timestamp
    public var server: PlanServer
    /// The command-line options the plan was built with, for the script's header.
    public var options: [String]
    /// The highest risk a run of this plan takes; steps above it are written commented out.
    public var risk: Risk
    public var steps: [PlanStep]
    /// Changes the findings asked for that the plan does not make, with the reason (a drop
    /// that would remove the last index serving a foreign key, both copies of a duplicate, ...).
    public var withheld: [WithheldChange]

    public init(
        schemaVersion: Int = Plan.currentSchemaVersion, generator: String, createdAt: Timestamp, server: PlanServer,
        options: [String] = [], risk: Risk = .online, steps: [PlanStep], withheld: [WithheldChange] = []
    ) {
        self.schemaVersion = schemaVersion
        self.generator = generator
        self.createdAt = createdAt
        self.server = server
        self.options = options
        self.risk = risk
        self.steps = steps
        self.withheld = withheld
    }

    /// Steps that run at the plan's risk level, in order.
    public var runnableSteps: [PlanStep] { steps.filter { $0.risk.runs(within: risk) } }

    public func step(_ id: String) -> PlanStep? { steps.first { $0.id == id } }
}

/// The server a plan was made for: apply refuses another one.
public struct PlanServer: Codable, Equatable, Sendable {
    public var database: String
    public var version: String
    public var versionNumber: Int
    /// `pg_control_system().system_identifier`, when the role could read it.
    public var systemIdentifier: String?

    public init(database: String, version: String, versionNumber: Int, systemIdentifier: String? = nil) {
        self.database = database
        self.version = version
        self.versionNumber = versionNumber
        self.systemIdentifier = systemIdentifier
    }
}

/// A change a finding asked for that the plan leaves out, and why.
public struct WithheldChange: Codable, Equatable, Sendable {
    /// The id the step would have had.
    public var id: String
    public var resolves: [FindingRef]
    public var reason: String

    public init(id: String, resolves: [FindingRef], reason: String) {
        self.id = id
        self.resolves = resolves
        self.reason = reason
    }
}

/// How much a step can disturb the application, lowest first.
public enum Risk: String, Codable, CaseIterable, Comparable, Sendable {
    /// Runs beside the application: concurrent index builds and drops, VACUUM, ANALYZE, storage
    /// parameters, reloadable settings, per-role and per-database settings.
    case online
    /// Written now, effective after a restart (`ALTER SYSTEM` of a postmaster setting).
    case restart
    /// Takes locks that stop the application or rewrites a table (`ALTER COLUMN ... TYPE`,
    /// `VACUUM FULL`, adding a primary key).
    case blocking
    /// A step for a person; never run by pgadvisor.
    case manual

    private var order: Int { Risk.allCases.firstIndex(of: self)! }

    public static func < (a: Risk, b: Risk) -> Bool { a.order < b.order }

    /// Whether a step of this risk runs when the plan's level is `level`; manual steps never do.
    public func runs(within level: Risk) -> Bool { self != .manual && self <= level }
}

/// A finding a step resolves, by rule id and target as the audit names them.
public struct FindingRef: Codable, Hashable, Sendable {
    public var rule: String
    public var target: String

    public init(rule: String, target: String) {
        self.rule = rule
        self.target = target
    }

    public var display: String { "\(rule) \(target)" }
}
