import Connector
import Foundation
import TOMLKit

/// The fleet a `--targets FILE` names: a TOML file of `[[targets]]` entries (by its `.toml`
/// extension), or one target a line — a connection string or URI, or a pg_service.conf
/// service name — with `#` comment lines and blank lines ignored.
enum TargetList {
    static func read(_ path: String) throws -> [FleetTarget] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() else {
            throw CLIError("cannot read the targets file \(path): check the path and its permissions", exitCode: ExitStatus.usage)
        }
        let text = String(decoding: data, as: UTF8.self)
        let targets = path.lowercased().hasSuffix(".toml") ? try toml(text, path: path) : try lines(text, path: path)
        guard !targets.isEmpty else {
            throw CLIError("\(path) lists no target: write one connection string or service name a line", exitCode: ExitStatus.usage)
        }
        try checkFolders(targets, path: path)
        return targets
    }

    static func toml(_ text: String, path: String) throws -> [FleetTarget] {
        let table = try ConfigFile.tomlTable(text, path: path)
        let reader = ConfigReader(path: path, lines: TOMLLines(text))
        try reader.checkKeys(table, allowed: ["targets"], at: "",
                             what: "a targets file holds [[targets]] entries only (settings go in pgadvisor.toml)")
        return try reader.targets(table["targets"])
    }

    static func lines(_ text: String, path: String) throws -> [FleetTarget] {
        var targets: [FleetTarget] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.contains("=") || line.contains("://") {
                targets.append(FleetTarget(name: ConninfoDisplay.redacted(line), conninfo: line))
            } else {
                targets.append(FleetTarget(name: line, conninfo: FleetTarget.serviceConninfo(line)))
            }
        }
        return targets
    }

    /// Two targets saved in one folder would mix their runs.
    static func checkFolders(_ targets: [FleetTarget], path: String) throws {
        var seen: [String: String] = [:]
        for target in targets {
            if let other = seen[target.folder] {
                throw CLIError("\(path): targets '\(other)' and '\(target.name)' would be saved in the same folder "
                    + "'\(target.folder)': list them in a .toml file with [[targets]] names", exitCode: ExitStatus.usage)
            }
            seen[target.folder] = target.name
        }
    }
}
