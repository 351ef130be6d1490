import Model

/// The rule engine: checks each rule's requirements, runs the rules, ranks the findings.
public struct Auditor: Sendable {
    public var rules: [any Rule.Type]
    public var configuration: AuditConfiguration
    /// The machine's facts for the rules that compare settings with it.
    public var host: TuningInputs?
    /// The index advisor's result from the live server, for missing-index.
    public var indexAdvice: IndexAdvice?

    public init(
        rules: [any Rule.Type] = RuleRegistry.all, configuration: AuditConfiguration = AuditConfiguration(),
        host: TuningInputs? = nil, indexAdvice: IndexAdvice? = nil
    ) {
        self.rules = rules
        self.configuration = configuration
        self.host = host
        self.indexAdvice = indexAdvice
    }

    /// The parameters a rule runs with under this configuration.
    public func parameters(of rule: any Rule.Type) -> RuleParameters {
        RuleParameters(rule: rule.description, overrides: configuration.parameters[rule.description.id] ?? [:])
    }

    public func run(_ snapshot: Snapshot) -> AuditResult {
        let facts = SnapshotFacts(snapshot)
        var findings: [Finding] = []
        var skipped: [SkippedRule] = []
        var evaluated: [String] = []
        var disabled: [String] = []
        for rule in rules {
            let description = rule.description
            if configuration.disabledRules.contains(description.id) {
                disabled.append(description.id)
                continue
            }
            let parameters = parameters(of: rule)
            let context = RuleContext(
                snapshot: snapshot, facts: facts, parameters: parameters, host: host, indexAdvice: indexAdvice)
            if let reason = Self.unmetRequirement(
                description, parameters: parameters, snapshot: snapshot, facts: facts, host: host) {
                let watched = Self.watch(rule, context)
                findings += watched
                let listed = watched.isEmpty ? "" : "; \(Format.count(Int64(watched.count))) listed at info to watch meanwhile"
                skipped.append(SkippedRule(rule: description.id, reason: reason + listed))
                continue
            }
            do {
                findings += try rule.evaluate(context)
                evaluated.append(description.id)
            } catch {
                skipped.append(SkippedRule(rule: description.id, reason: error.reason))
            }
        }
        let ranked = Self.rank(Self.validateSettings(findings, snapshot: snapshot, ramBytes: host?.ramBytes))
        let reported = Self.linkFixes(Self.keepCoherentDrops(Self.merge(ranked), unmerged: ranked, snapshot: snapshot))
        var result = AuditResult(
            findings: reported, skipped: skipped.sorted { $0.rule < $1.rule },
            evaluated: evaluated.sorted(), disabled: disabled.sorted())
        result.unmerged = ranked
        return result
    }

    /// Deterministic order: severity, impact, rule id, target, message.
    public static func rank(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.impact.score != b.impact.score { return a.impact.score > b.impact.score }
            if a.rule != b.rule { return a.rule < b.rule }
            if a.target.display != b.target.display { return a.target.display < b.target.display }
            return a.message < b.message
        }
    }

    /// Folds findings of different rules that propose the same fix for the same target (an
    /// index both unused and redundant) into the higher-ranked one, which notes the others, so
    /// the report and the plan say each thing once.
    public static func merge(_ ranked: [Finding]) -> [Finding] {
        struct Key: Hashable {
            var target: Target
            var remediations: [String]
        }
        func key(_ finding: Finding) -> Key? {
            let fixes = finding.remediations.filter { if case .manual = $0 { false } else { true } }
            guard !fixes.isEmpty else { return nil }
            return Key(target: finding.target, remediations: fixes.map { String(describing: $0) })
        }
        var survivors: [Finding] = []
        var index: [Key: Int] = [:]
        for finding in ranked {
            guard let k = key(finding) else { survivors.append(finding); continue }
            if let i = index[k] {
                survivors[i].notes.append("Also reported by \(finding.rule): \(finding.message)")
            } else {
                index[k] = survivors.count
                survivors.append(finding)
            }
        }
        return foldCoveredIndexes(survivors)
    }

    /// Folds a finding whose only fix creates an index into another finding whose index leads
    /// with the same keys (an unindexed foreign key on `customer_id` into the advised
    /// `(customer_id, created_at)`): one index serves both, and the plan creates it once. The
    /// survivor keeps the higher severity and impact, and the folded finding's notes.
    static func foldCoveredIndexes(_ findings: [Finding]) -> [Finding] {
        func created(_ finding: Finding) -> IndexSpec? {
            let fixes = finding.remediations.filter { if case .manual = $0 { false } else { true } }
            guard fixes.count == 1, case .createIndex(let spec) = fixes[0] else { return nil }
            return spec
        }
        var result = findings
        var folded: Set<Int> = []
        // Narrowest first, so a chain (a) → (a, b) → (a, b, c) ends in the widest with every note.
        let order = findings.indices.sorted { (created(findings[$0])?.keys.count ?? 0, $0) < (created(findings[$1])?.keys.count ?? 0, $1) }
        for i in order {
            guard let narrow = created(findings[i]) else { continue }
            guard let j = findings.indices.first(where: { j in
                guard j != i, !folded.contains(j), let wide = created(findings[j]) else { return false }
                // Of two findings creating the same index, the lower-ranked one folds.
                if wide.keys == narrow.keys && j > i { return false }
                return wide.covers(narrow)
            }) else { continue }
            let f = result[i]
            result[j].notes.append("Also reported by \(f.rule): \(f.message) This index serves it too.")
            result[j].notes += f.notes
            result[j].severity = max(result[j].severity, f.severity)
            if f.impact.score > result[j].impact.score { result[j].impact = f.impact }
            folded.insert(i)
        }
        return rank(result.indices.filter { !folded.contains($0) }.map { result[$0] })
    }

    /// The findings a rule lists to watch when young statistics are all that keeps it from
    /// judging (every other requirement holds); none otherwise.
    static func watch(_ rule: any Rule.Type, _ context: RuleContext) -> [Finding] {
        var waiting = rule.description
        waiting.requirements.removeAll { if case .statisticsAge = $0 { true } else { false } }
        guard waiting.requirements.count < rule.description.requirements.count,
              unmetRequirement(waiting, parameters: context.parameters, snapshot: context.snapshot,
                               facts: context.facts, host: context.host) == nil
        else { return [] }
        return rule.watch(context)
    }

    /// The reason a rule cannot run on this snapshot, nil when every requirement holds.
    static func unmetRequirement(
        _ rule: RuleDescription, parameters: RuleParameters, snapshot: Snapshot, facts: SnapshotFacts,
        host: TuningInputs? = nil
    ) -> String? {
        for requirement in rule.requirements {
            switch requirement {
            case .source(let name):
                guard let source = snapshot.source(name) else {
                    return "\(name) is not in this snapshot (written by an older pgadvisor): take a new snapshot"
                }
                if !source.isUsable {
                    let why = source.reason ?? "it was \(source.state.rawValue)"
                    return "\(name) was not collected: \(why)" + (source.fix.map { " (\($0))" } ?? "")
                }
            case .hostFacts:
                if host == nil {
                    return "needs the machine's memory: pass --ram (and --cpus, --storage, --workload) as 'pgadvisor tune' takes them"
                }
            case .minimumServerVersion(let number):
                if snapshot.server.versionNumber < number {
                    return "needs PostgreSQL \(number / 10_000) or later; the server is \(snapshot.server.majorVersion)"
                }
            case .statisticsAge(let parameter):
                let needed = parameters.seconds(parameter)
                guard let age = facts.statisticsAge else {
                    return "the age of the statistics is unknown (no reset time and no server start time)"
                        + "; set \(rule.id).\(parameter) = 0 to judge anyway"
                }
                if age.seconds < needed {
                    return "statistics cover only \(Format.age(seconds: age.seconds)) (since \(age.basis))"
                        + ", less than \(rule.id).\(parameter) = \(ParameterValue.duration(seconds: needed))"
                        + "; judge later or lower the parameter"
                }
            }
        }
        return nil
    }
}
