import ArgumentParser
import Core
import Foundation
import TOMLKit

/// The options that shape an audit's rules: a configuration file, `--set` overrides.
struct AuditSettingsGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read rule settings from this TOML file: [rules.RULE] tables with 'enabled' and the rule's parameters (see 'pgadvisor explain RULE').",
        valueName: "file"))
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override one rule setting, e.g. --set unused-index.min-stats-age=14d or --set logging-settings.enabled=false (repeatable; wins over --config).",
        valueName: "rule.key=value"))
    var overrides: [String] = []

    /// The validated configuration: file first, then `--set` in order.
    func configuration() throws -> AuditConfiguration {
        var configuration = AuditConfiguration()
        do {
            if let config {
                for (rule, entries) in try ConfigFile.read(config).sorted(by: { $0.key < $1.key }) {
                    try configuration.apply(ruleId: rule, entries: entries)
                }
            }
            for item in overrides {
                let (rule, key, value) = try Self.parseOverride(item)
                try configuration.apply(ruleId: rule, entries: [key: value])
            }
        } catch let error as ConfigurationError {
            throw CLIError((config.map { "\($0): " } ?? "") + error.description, exitCode: ExitStatus.usage)
        }
        return configuration
    }

    static func parseOverride(_ text: String) throws -> (String, String, String) {
        guard let eq = text.firstIndex(of: "="), let dot = text[..<eq].firstIndex(of: ".") else {
            throw CLIError("--set takes rule.key=value (e.g. unused-index.min-stats-age=14d), not '\(text)'",
                           exitCode: ExitStatus.usage)
        }
        let rule = String(text[..<dot]).trimmingCharacters(in: .whitespaces)
        let key = String(text[text.index(after: dot)..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard !rule.isEmpty, !key.isEmpty, !value.isEmpty else {
            throw CLIError("--set takes rule.key=value (e.g. unused-index.min-stats-age=14d), not '\(text)'",
                           exitCode: ExitStatus.usage)
        }
        return (rule, key, value)
    }
}

/// The TOML configuration file: `[rules.<id>]` tables of settings. Values may be strings,
/// numbers or booleans; each is checked against the rule's parameter type.
enum ConfigFile {
    static func read(_ path: String) throws -> [String: [String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read configuration file \(path): check the path and its permissions",
                           exitCode: ExitStatus.usage)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws -> [String: [String: String]] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw CLIError("\(path):\(error.source.begin.line): \(error.description.split(separator: "\n").first ?? "invalid TOML")",
                           exitCode: ExitStatus.usage)
        } catch {
            throw CLIError("\(path): not valid TOML", exitCode: ExitStatus.usage)
        }
        var result: [String: [String: String]] = [:]
        for (key, _) in table where key != "rules" {
            throw CLIError("\(path): unknown section '\(key)': settings go in [rules.RULE] tables", exitCode: ExitStatus.usage)
        }
        guard let rules = table["rules"] else { return [:] }
        guard let rulesTable = rules.table else {
            throw CLIError("\(path): 'rules' must be a table of [rules.RULE] sections", exitCode: ExitStatus.usage)
        }
        for (rule, value) in rulesTable {
            guard let entries = value.table else {
                throw CLIError("\(path): rules.\(rule) must be a table, e.g. [rules.\(rule)]", exitCode: ExitStatus.usage)
            }
            for (key, value) in entries {
                let text: String
                if let s = value.string { text = s }
                else if let b = value.bool { text = b ? "true" : "false" }
                else if let i = value.int { text = String(i) }
                else if let d = value.double { text = String(d) }
                else {
                    throw CLIError("\(path): rules.\(rule).\(key) must be a string, number or boolean",
                                   exitCode: ExitStatus.usage)
                }
                result[rule, default: [:]][key] = text
            }
        }
        return result
    }
}
