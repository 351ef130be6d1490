import ArgumentParser
import Core
import Foundation

/// The options that shape an audit's rules: a configuration file, `--set` overrides.
struct AuditSettingsGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read settings from this TOML file instead of ./pgadvisor.toml: [rules.RULE] tables, [[suppress]] entries, [host], format and [[targets]] (see the README).",
        valueName: "file"))
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override one rule setting, e.g. --set unused-index.min-stats-age=14d or --set logging-settings.enabled=false (repeatable; wins over --config).",
        valueName: "rule.key=value"))
    var overrides: [String] = []

    /// The file found in the current directory when `--config` is not given.
    static let defaultFile = "pgadvisor.toml"

    /// The configuration file and the rule configuration it makes with `--set` on top.
    struct Settings {
        /// nil when there is none (no `--config`, no ./pgadvisor.toml).
        var file: ConfigFile?
        var configuration: AuditConfiguration
    }

    /// The validated settings: the file first, then `--set` in order.
    func settings() throws -> Settings {
        let file = try configFile()
        var configuration = AuditConfiguration()
        try file?.apply(to: &configuration)
        for item in overrides {
            let (rule, key, value) = try Self.parseOverride(item)
            do {
                try configuration.apply(ruleId: rule, entries: [key: value])
            } catch {
                throw CLIError("--set \(item): \(error.description)", exitCode: ExitStatus.usage)
            }
        }
        return Settings(file: file, configuration: configuration)
    }

    /// The validated rule configuration.
    func configuration() throws -> AuditConfiguration {
        try settings().configuration
    }

    /// `--config FILE` (which must exist), else ./pgadvisor.toml when there is one.
    func configFile() throws -> ConfigFile? {
        if let config { return try ConfigFile.read(config) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: Self.defaultFile, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return try ConfigFile.read(Self.defaultFile)
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
