import ArgumentParser
import Core
import Foundation
import Model
import Planner

extension Risk: ExpressibleByArgument {}

/// The options that choose what a plan holds: shared by `plan` and `apply`.
struct PlanSelectionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Analyze this snapshot file instead of connecting ('-' reads standard input); plan only.", valueName: "file"))
    var from: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(
        "Keep only these steps: step ids, step kinds (create-index, vacuum, ...) or rule ids (vacuum-overdue), comma-separated or repeated.",
        valueName: "ids|rules"))
    var only: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Highest risk to run: online (default), restart or blocking; steps above it are shown commented out.",
        valueName: "level"))
    var risk: Risk?

    @OptionGroup var rules: AuditSettingsGroup

    @OptionGroup(title: "Machine (for the memory settings)") var host: HostOptionGroup

    /// `--only a,b --only c` → `[a, b, c]`; nil when not given.
    var selectors: [String]? {
        let items = StepSelectors.parse(only)
        return items.isEmpty ? nil : items
    }

    func validateSelection() throws {
        if risk == .manual { throw ValidationError("--risk takes online, restart or blocking: manual steps are never run") }
    }

    /// Audits (live or from the snapshot) and builds the plan.
    func buildPlan(connection: ConnectionOptionGroup, commandLine: [String]) throws -> (Plan, Snapshot) {
        let settings = try rules.settings()
        let machine = (settings.file?.host ?? HostFacts()).overridden(by: try host.facts())
        let pipeline = AuditPipeline(connection: connection, from: from, configuration: settings.configuration, host: machine,
                                     suppressions: settings.file?.suppressions ?? [])
        let output = try pipeline.run()
        let options = PlanOptions(
            risk: risk ?? .online, only: selectors, generator: "pgadvisor \(PGAdvisor.version)", commandLine: commandLine,
            systemIdentifier: output.systemIdentifier)
        let plan = PlanBuilder.build(findings: output.result.unmerged, snapshot: output.snapshot, options: options)
        try Self.checkSelectors(selectors, plan: plan)
        return (plan, output.snapshot)
    }

    /// Every selector must name a rule, a step kind or a step of the plan: a typo must not
    /// silently select nothing in a nightly job.
    /// With `requireSteps` (a saved plan), a step id must name one of its steps.
    static func checkSelectors(_ selectors: [String]?, plan: Plan, requireSteps: Bool = false) throws {
        guard let selectors else { return }
        if requireSteps {
            let missing = selectors.filter { $0.contains(":") && plan.step($0) == nil }
            if !missing.isEmpty {
                throw CLIError("--only \(missing.joined(separator: ", ")): no such step in the plan "
                    + "('pgadvisor plan --format text' lists the step ids)", exitCode: ExitStatus.usage)
            }
        }
        let rules = Set(RuleRegistry.all.map { $0.description.id })
        let unknown = selectors.filter { !rules.contains($0) && !Remediation.kinds.contains($0) && !$0.contains(":") }
        if !unknown.isEmpty {
            throw CLIError("--only \(unknown.joined(separator: ",")): not a rule id, step kind or step id "
                + "('pgadvisor rules' lists the rules; step ids are in 'pgadvisor plan --format text')", exitCode: ExitStatus.usage)
        }
    }

    /// The options as given, for the script's header (never the connection string).
    var described: [String] {
        var items: [String] = []
        if let from { items += ["--from", from] }
        if let selectors { items += ["--only", selectors.joined(separator: ",")] }
        items += ["--risk", (risk ?? .online).rawValue]
        if let ram = host.ram { items += ["--ram", ram] }
        if let cpus = host.cpus { items += ["--cpus", String(cpus)] }
        if let config = rules.config {
            items += ["--config", config]
        } else if FileManager.default.fileExists(atPath: AuditSettingsGroup.defaultFile) {
            items += ["--config", AuditSettingsGroup.defaultFile]
        }
        for item in rules.overrides { items += ["--set", item] }
        return items
    }
}
