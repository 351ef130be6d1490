import Model

/// Everything a rule says about itself, in the order the rule reference prints it.
public struct RuleDescription: Sendable {
    /// Stable kebab-case id, never reused (`unused-index`).
    public var id: String
    public var title: String
    public var category: RuleCategory
    /// The severity of a typical finding; a rule may raise or lower it per finding.
    public var severity: Severity
    public var requirements: [Requirement]
    /// One sentence: what the rule reports.
    public var summary: String
    /// Why it matters and how the rule avoids false alarms.
    public var rationale: String
    /// The PostgreSQL manual page that explains the subject.
    public var manual: String
    public var parameters: [RuleParameter]
    /// Small snapshots that must trigger the rule, pass, or be skipped.
    public var examples: [RuleExample]

    public init(
        id: String, title: String, category: RuleCategory, severity: Severity, requirements: [Requirement] = [],
        summary: String, rationale: String, manual: String, parameters: [RuleParameter] = [],
        examples: [RuleExample]
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.severity = severity
        self.requirements = requirements
        self.summary = summary
        self.rationale = rationale
        self.manual = manual
        self.parameters = parameters
        self.examples = examples
    }

    public func parameter(_ key: String) -> RuleParameter? { parameters.first { $0.key == key } }
}

public enum RuleCategory: String, Sendable, CaseIterable, Comparable {
    case queries, indexes, tables, sessions, server

    public var title: String {
        switch self {
        case .queries: "Queries"
        case .indexes: "Indexes"
        case .tables: "Tables and maintenance"
        case .sessions: "Sessions and locks"
        case .server: "Server"
        }
    }

    /// The folder under `Sources/Core/Rules` that holds the category's rules.
    public var folder: String {
        switch self {
        case .queries: "Queries"
        case .indexes: "Indexes"
        case .tables: "Tables"
        case .sessions: "Sessions"
        case .server: "Server"
        }
    }

    public static func < (lhs: RuleCategory, rhs: RuleCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A condition the engine checks before running a rule; when it does not hold, the rule is
/// skipped with a reason instead of reporting nothing (which would read as "all clear").
public enum Requirement: Sendable, Equatable {
    /// A snapshot source (`pg_stat_statements`, `tables`, ...) that must be collected or partial.
    case source(String)
    /// The lowest `server_version_num` the rule understands.
    case minimumServerVersion(Int)
    /// Cumulative statistics must cover at least the duration of this rule parameter.
    case statisticsAge(parameter: String)
    /// The machine's RAM (and CPUs, storage, workload) must be known: `audit --ram ...`.
    case hostFacts

    public var description: String {
        switch self {
        case .source(let name): "source `\(name)`"
        case .minimumServerVersion(let number): "PostgreSQL \(number / 10_000)+"
        case .statisticsAge(let parameter): "statistics at least `\(parameter)` old"
        case .hostFacts: "the machine's RAM (`--ram`)"
        }
    }
}

/// One example of a rule's behaviour: a snapshot and what the rule must do with it.
public struct RuleExample: Sendable {
    public enum Expectation: Sendable, Equatable {
        /// Findings on exactly these targets.
        case triggers([Target])
        /// No finding.
        case passes
        /// Skipped, with a reason containing this text.
        case skipped(String)
        /// Skipped, with a reason containing this text, while listing these targets at info to
        /// watch (a rule waiting for older statistics).
        case watches(String, [Target])
    }

    public var name: String
    public var expectation: Expectation
    public var snapshot: Snapshot
    /// Parameter overrides for this example (`["min-stats-age": "1d"]`).
    public var parameters: [String: String]
    /// The machine facts the example audits with (`audit --ram ...`), if any.
    public var host: TuningInputs?

    public init(
        _ name: String, _ expectation: Expectation, parameters: [String: String] = [:], host: TuningInputs? = nil,
        snapshot: Snapshot
    ) {
        self.name = name
        self.expectation = expectation
        self.snapshot = snapshot
        self.parameters = parameters
        self.host = host
    }
}
