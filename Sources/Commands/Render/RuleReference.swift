import Core
import Foundation
import Model

/// The rule reference, rendered from the rules' own descriptions (`reports/rules.md`,
/// `pgadvisor rules`, `pgadvisor explain`).
enum RuleReference {
    static func list(_ rules: [RuleDescription]) -> String {
        let width = rules.map(\.id.count).max() ?? 0
        var out: [String] = []
        for category in RuleCategory.allCases {
            let inCategory = rules.filter { $0.category == category }
            guard !inCategory.isEmpty else { continue }
            if !out.isEmpty { out.append("") }
            out.append(category.title)
            for rule in inCategory {
                out.append("  " + rule.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + rule.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + "  " + rule.title)
            }
        }
        out += ["", "'pgadvisor explain RULE' describes one rule; 'pgadvisor rules --format markdown' all of them."]
        return out.joined(separator: "\n") + "\n"
    }

    static func explain(_ rule: RuleDescription, overrides: [String: ParameterValue], disabled: Bool) -> String {
        var out: [String] = []
        out.append("\(rule.id) — \(rule.title)\(disabled ? " (disabled by configuration)" : "")")
        out.append("category \(rule.category.title.lowercased()) · default severity \(rule.severity.rawValue)")
        out.append("")
        out += wrap(rule.summary)
        out.append("")
        out += wrap(rule.rationale)
        if !rule.requirements.isEmpty {
            out += ["", "Requires: " + rule.requirements.map(\.description).joined(separator: ", ")]
        }
        if !rule.parameters.isEmpty {
            out += ["", "Parameters (set in [rules.\(rule.id)] of --config, or --set \(rule.id).KEY=VALUE):"]
            let width = rule.parameters.map(\.key.count).max() ?? 0
            let values = rule.parameters.map { p -> String in
                let value = overrides[p.key].flatMap { $0 != p.defaultValue ? $0 : nil }
                return "\(p.defaultValue)" + (value.map { " (now \($0))" } ?? "")
            }
            let valueWidth = values.map(\.count).max() ?? 0
            for (p, value) in zip(rule.parameters, values) {
                out.append("  " + p.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + value.padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  " + p.summary)
            }
        }
        out += ["", "Examples:"]
        for example in rule.examples {
            out.append("  - \(example.name): \(expectation(example))")
        }
        out += ["", "Manual: \(rule.manual)"]
        return out.joined(separator: "\n") + "\n"
    }

    static func markdown(_ rules: [RuleDescription]) -> String {
        var out: [String] = []
        out.append("# pgadvisor audit rules")
        out.append("")
        out.append("Generated from the rules' own descriptions by `pgadvisor rules --format markdown`; "
            + "do not edit. Parameters are set in a `[rules.RULE]` table of the file given with "
            + "`--config`, or with `--set RULE.KEY=VALUE`; every rule also takes `enabled = false`.")
        out.append("")
        out.append("| rule | category | severity | summary |")
        out.append("|---|---|---|---|")
        for rule in rules {
            out.append("| [`\(rule.id)`](#\(rule.id)) | \(rule.category.title) | \(rule.severity.rawValue) | "
                + "\(cell(rule.summary)) |")
        }
        for category in RuleCategory.allCases {
            let inCategory = rules.filter { $0.category == category }
            guard !inCategory.isEmpty else { continue }
            out += ["", "## \(category.title)"]
            for rule in inCategory {
                out += ["", "### \(rule.id)", ""]
                out.append("**\(rule.title)** · default severity **\(rule.severity.rawValue)**"
                    + (rule.requirements.isEmpty ? "" : " · requires " + rule.requirements.map(\.description).joined(separator: ", ")))
                out += ["", rule.summary, "", rule.rationale]
                if !rule.parameters.isEmpty {
                    out += ["", "| parameter | default | meaning |", "|---|---|---|"]
                    out += rule.parameters.map { "| `\($0.key)` | `\($0.defaultValue)` | \(cell($0.summary)) |" }
                }
                out += ["", "Examples:", ""]
                out += rule.examples.map { "- \($0.name): \(expectation($0))" }
                out += ["", "Manual: <\(rule.manual)>"]
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    struct JSONRule: Encodable {
        var id: String
        var title: String
        var category: String
        var severity: String
        var requirements: [String]
        var summary: String
        var rationale: String
        var manual: String
        var parameters: [JSONParameter]
    }

    struct JSONParameter: Encodable {
        var key: String
        var kind: String
        var `default`: String
        var summary: String
    }

    static func json(_ rules: [RuleDescription]) -> [JSONRule] {
        rules.map { r in
            JSONRule(
                id: r.id, title: r.title, category: r.category.rawValue, severity: r.severity.rawValue,
                requirements: r.requirements.map(\.description), summary: r.summary, rationale: r.rationale,
                manual: r.manual,
                parameters: r.parameters.map {
                    JSONParameter(key: $0.key, kind: $0.kind.rawValue, default: $0.defaultValue.description, summary: $0.summary)
                })
        }
    }

    static func expectation(_ example: RuleExample) -> String {
        let settings = example.parameters.isEmpty ? ""
            : " (with " + example.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + ")"
        switch example.expectation {
        case .triggers(let targets): return "reports " + targets.map { "`\($0.display)`" }.joined(separator: ", ") + settings
        case .passes: return "no finding" + settings
        case .skipped(let reason): return "skipped (\(reason)…)" + settings
        case .watches(let reason, let targets):
            return "skipped (\(reason)…), lists " + targets.map { "`\($0.display)`" }.joined(separator: ", ") + " to watch" + settings
        }
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Splits a paragraph into lines of at most 96 characters for the terminal.
    static func wrap(_ text: String, width: Int = 96) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
