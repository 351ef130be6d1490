import Model

/// What a plan is built with besides the findings.
public struct PlanOptions: Sendable {
    /// The highest risk that runs; higher steps are kept, commented out.
    public var risk: Risk
    /// Step ids, step kinds or rule ids to keep; nil keeps everything.
    public var only: [String]?
    public var generator: String
    /// The command line options, for the script's header.
    public var commandLine: [String]
    public var systemIdentifier: String?

    public init(
        risk: Risk = .online, only: [String]? = nil, generator: String = "pgadvisor", commandLine: [String] = [],
        systemIdentifier: String? = nil
    ) {
        self.risk = risk
        self.only = only
        self.generator = generator
        self.commandLine = commandLine
        self.systemIdentifier = systemIdentifier
    }
}

/// Builds a ``Plan`` from an audit's findings: one step per change, drops that keep the
/// database coherent, in an order that respects dependencies and then ranks by impact.
public enum PlanBuilder {
    public static func build(findings: [Finding], snapshot: Snapshot, options: PlanOptions) -> Plan {
        let factory = StepFactory(snapshot: snapshot, since: snapshot.collectedAt)
        var merged = StepMerger(factory: factory)
        for finding in findings { merged.add(finding) }
        var steps = merged.foldCoveredCreates(merged.steps)
        let (kept, withheld) = DropCoherence(snapshot: snapshot).resolve(steps, findings: findings)
        steps = StepOrder.sorted(kept)
        if let only = options.only { steps = steps.filter { matches($0, only) } }
        let server = PlanServer(
            database: snapshot.server.database, version: snapshot.server.version,
            versionNumber: snapshot.server.versionNumber, systemIdentifier: options.systemIdentifier)
        return Plan(
            generator: options.generator, createdAt: snapshot.collectedAt, server: server, options: options.commandLine,
            risk: options.risk, steps: steps,
            withheld: options.only == nil ? withheld : withheld.filter { w in w.resolves.contains { options.only!.contains($0.rule) } })
    }

    /// Whether `step` is selected by `--only`: its id, its kind, or a rule it resolves.
    public static func matches(_ step: PlanStep, _ selectors: [String]) -> Bool {
        selectors.contains { selector in
            step.id == selector || step.kind == selector || step.resolves.contains { $0.rule == selector }
        }
    }
}

/// Collects steps by id: two findings asking for the same change get one step resolving both.
struct StepMerger {
    var factory: StepFactory
    private(set) var steps: [PlanStep] = []
    private(set) var findingsByStep: [String: [Finding]] = [:]
    private var position: [String: Int] = [:]
    private var vacuumOptions: [String: VacuumOptions] = [:]
    /// The index each create-index step builds, by step id.
    private var specs: [String: IndexSpec] = [:]

    init(factory: StepFactory) { self.factory = factory }

    mutating func add(_ finding: Finding) {
        var manualOrdinal = 0
        for remediation in finding.remediations {
            let step = factory.step(for: remediation, of: finding, ordinal: manualOrdinal)
            if case .manual = remediation { manualOrdinal += 1 }
            if case .vacuum(_, let options) = remediation { vacuumOptions[step.id] = vacuumOptions[step.id]?.union(options) ?? options }
            if case .createIndex(let spec) = remediation { specs[step.id] = spec }
            findingsByStep[step.id, default: []].append(finding)
            guard let i = position[step.id] else {
                position[step.id] = steps.count
                steps.append(step)
                continue
            }
            merge(step, into: i, remediation: remediation)
        }
    }

    private mutating func merge(_ step: PlanStep, into i: Int, remediation: Remediation) {
        for ref in step.resolves where !steps[i].resolves.contains(ref) { steps[i].resolves.append(ref) }
        steps[i].impact = max(steps[i].impact, step.impact)
        if step.confidence == .measured { steps[i].confidence = .measured }
        if case .vacuum(let table, _) = remediation, let options = vacuumOptions[step.id] {
            steps[i].sql = [RemediationSQL.sql(.vacuum(table, options))]
        }
        if steps[i].kind == "drop-index", let index = steps[i].object.index {
            let findings = findingsByStep[step.id] ?? []
            let conditions = findings.flatMap { factory.dropConditions(index, $0) }
            steps[i].precondition = StepCheck(
                findings.map { factory.dropConditionText($0) }.joined(separator: "; "),
                sql: PlanSQL.dropIndexCheck(index: index, conditions: conditions))
        }
    }

    /// A create-index whose keys lead a wider create-index on the same table is served by it:
    /// one step, resolving both (an unindexed foreign key folded into the advised index).
    func foldCoveredCreates(_ steps: [PlanStep]) -> [PlanStep] {
        var result = steps
        var removed: Set<Int> = []
        let creates = steps.indices.filter { steps[$0].kind == "create-index" }
        for narrow in creates.sorted(by: { keyCount(steps[$0]) < keyCount(steps[$1]) }) {
            guard let wide = creates.first(where: { $0 != narrow && !removed.contains($0) && covers(steps[$0], steps[narrow]) })
            else { continue }
            for ref in result[narrow].resolves where !result[wide].resolves.contains(ref) { result[wide].resolves.append(ref) }
            result[wide].impact = max(result[wide].impact, result[narrow].impact)
            removed.insert(narrow)
        }
        return result.indices.filter { !removed.contains($0) }.map { result[$0] }
    }

    private func keyCount(_ step: PlanStep) -> Int { specs[step.id]?.keys.count ?? 0 }

    private func covers(_ wide: PlanStep, _ narrow: PlanStep) -> Bool {
        guard let w = specs[wide.id], let n = specs[narrow.id], w.keys.count > n.keys.count else { return false }
        return w.covers(n)
    }
}
