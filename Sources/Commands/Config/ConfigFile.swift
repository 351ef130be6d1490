import Core
import Foundation
import TOMLKit

/// The configuration file (`pgadvisor.toml` in the current directory, or `--config FILE`):
/// rule settings (`[rules.RULE]`), suppressions (`[[suppress]]`), the machine's facts
/// (`[host]`), the default report format (`format`) and the fleet (`[[targets]]`). Every
/// error names the file, the line and the key.
struct ConfigFile {
    var path: String
    /// Rule settings as written, in file order: rule id, key, value as text, line.
    var ruleEntries: [(rule: String, key: String, value: String, line: Int)] = []
    var suppressions: [Suppression] = []
    var host = HostFacts()
    var format: OutputFormat?
    var targets: [FleetTarget] = []

    static let sections = ["format", "host", "rules", "suppress", "targets"]

    static func read(_ path: String) throws -> ConfigFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() else {
            throw CLIError("cannot read configuration file \(path): check the path and its permissions",
                           exitCode: ExitStatus.usage)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// The file's TOML, or a usage error naming the line the parser stopped at.
    static func tomlTable(_ text: String, path: String) throws -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let reason = error.description.split(separator: "\n").first.map(String.init) ?? "invalid TOML"
            throw CLIError("\(path):\(error.source.begin.line): \(reason): fix the TOML syntax on that line",
                           exitCode: ExitStatus.usage)
        } catch {
            throw CLIError("\(path): not valid TOML: fix its syntax", exitCode: ExitStatus.usage)
        }
    }

    static func parse(_ text: String, path: String) throws -> ConfigFile {
        let table = try tomlTable(text, path: path)
        let reader = ConfigReader(path: path, lines: TOMLLines(text))
        try reader.checkKeys(table, allowed: sections, at: "", what: "the file takes format, [host], [rules.RULE], [[suppress]] and [[targets]]")
        var file = ConfigFile(path: path)
        file.ruleEntries = try reader.rules(table["rules"])
        file.suppressions = try reader.suppressions(table["suppress"])
        if let host = table["host"] { file.host = try reader.host(host, at: "host") }
        if let format = table["format"] { file.format = try reader.format(format) }
        file.targets = try reader.targets(table["targets"])
        // Rule values are checked now, so a bad one fails every command that reads the file.
        var scratch = AuditConfiguration()
        try file.apply(to: &scratch)
        return file
    }

    /// Applies the rule settings to `configuration`, each error with its line.
    func apply(to configuration: inout AuditConfiguration) throws {
        for entry in ruleEntries {
            do {
                try configuration.apply(ruleId: entry.rule, entries: [entry.key: entry.value])
            } catch {
                throw CLIError("\(path):\(entry.line): \(error.description)", exitCode: ExitStatus.usage)
            }
        }
    }

    /// Rule settings by rule id, then key.
    var rules: [String: [String: String]] {
        ruleEntries.reduce(into: [:]) { $0[$1.rule, default: [:]][$1.key] = $1.value }
    }
}
