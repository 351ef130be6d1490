import Foundation

/// One database of a fleet: the name its report and saved runs go under, how to reach it, and
/// its own machine facts (over the configuration file's `[host]`).
struct FleetTarget: Equatable, Sendable {
    /// Shown in the summary table and used as the folder under `--save`; never a password.
    var name: String
    var conninfo: String
    var host = HostFacts()

    /// The folder of its saved runs: the name, or the name with what a folder name cannot
    /// hold replaced.
    var folder: String { Self.isValidName(name) ? name : Self.folderName(for: name) }

    /// Names usable as a folder: letters, digits, `.`, `_`, `-`, not starting with a dot.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (isFolderCharacter(Character($0))) }
    }

    static func isFolderCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "." || c == "_" || c == "-"
    }

    /// `service=NAME`, quoted as libpq reads a conninfo value.
    static func serviceConninfo(_ service: String) -> String {
        let escaped = service.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return "service='\(escaped)'"
    }

    /// A folder name for a target known only by its connection string (already free of
    /// passwords): other characters become `_`, runs of them one.
    static func folderName(for display: String) -> String {
        var name = ""
        for c in display {
            let keep = c.isASCII && isFolderCharacter(c)
            if keep { name.append(c) } else if !name.hasSuffix("_") { name.append("_") }
        }
        while name.hasPrefix(".") || name.hasPrefix("_") { name.removeFirst() }
        while name.hasSuffix("_") { name.removeLast() }
        return String(name.prefix(100)).isEmpty ? "target" : String(name.prefix(100))
    }
}
