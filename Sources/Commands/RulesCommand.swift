import ArgumentParser
import Core
import Foundation

/// `pgadvisor rules`: the audit rules, from their own descriptions.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the audit rules (markdown prints the full rule reference, as in reports/rules.md).",
        discussion: """
            Examples:
              pgadvisor rules
              pgadvisor rules --format markdown > reports/rules.md
              pgadvisor explain unused-index
            """
    )

    @OptionGroup(title: "Output (text: one line per rule; markdown: the full reference)") var output: ReportOutputGroup

    func run() throws {
        let text: String
        switch try output.resolve(command: "rules", supported: [.text, .markdown, .json]) {
        case .markdown: text = RuleReference.markdown(RuleRegistry.descriptions)
        case .json: text = try JSONOutput.encode(RuleReference.json(RuleRegistry.descriptions))
        default: text = RuleReference.list(RuleRegistry.descriptions)
        }
        try output.emit(text)
    }
}

/// `pgadvisor explain RULE`: one rule in full.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one audit rule: what it reports, why, its requirements, parameters and examples.",
        discussion: """
            Examples:
              pgadvisor explain unused-index
              pgadvisor explain slow-query --set slow-query.mean-time=250ms
            """
    )

    @Argument(help: ArgumentHelp("The rule id, as 'pgadvisor rules' lists it.", valueName: "rule"))
    var rule: String

    @OptionGroup var settings: AuditSettingsGroup

    func run() throws {
        guard let found = RuleRegistry.rule(id: rule) else {
            let near = RuleRegistry.descriptions.map(\.id).filter { $0.contains(rule) || rule.contains($0) }
            throw CLIError("no rule '\(rule)'" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)")
                + ": 'pgadvisor rules' lists the rule ids", exitCode: ExitStatus.usage)
        }
        let configuration = try settings.configuration()
        let text = RuleReference.explain(found.description, overrides: configuration.parameters[rule] ?? [:],
                                         disabled: configuration.disabledRules.contains(rule))
        SafeOutput.out(text)
    }
}
