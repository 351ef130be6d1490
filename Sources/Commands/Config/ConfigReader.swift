import Core
import TOMLKit

/// Reads the configuration file's values with errors that say where:
/// `pgadvisor.toml:12: suppress[2].until: "2026-13-01" is not a date (YYYY-MM-DD)`.
struct ConfigReader {
    var path: String
    var lines: TOMLLines

    /// A usage error at `key` (a path such as `suppress[2].until`).
    func error(_ key: String, _ message: String) -> CLIError {
        CLIError("\(path):\(lines.line(of: key)): \(key.isEmpty ? "" : key + ": ")\(message)", exitCode: ExitStatus.usage)
    }

    /// Every key of `table` must be one of `allowed`.
    func checkKeys(_ table: TOMLTable, allowed: [String], at prefix: String, what: String) throws {
        let unknown = table.map(\.0).filter { !allowed.contains($0) }
            .map { join(prefix, $0) }.sorted { lines.line(of: $0) < lines.line(of: $1) }
        if let first = unknown.first { throw error(first, "unknown key: \(what)") }
    }

    func join(_ prefix: String, _ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    func table(_ value: TOMLValueConvertible, at key: String, example: String) throws -> TOMLTable {
        guard let table = value.table else { throw error(key, "must be a table, e.g. \(example)") }
        return table
    }

    /// An array of tables (`[[key]]`), each with its path (`key[1]`, `key[2]`, ...).
    func tables(_ value: TOMLValueConvertible?, at key: String) throws -> [(TOMLTable, String)] {
        guard let value else { return [] }
        guard let array = value.array else { throw error(key, "must be written as [[\(key)]] tables") }
        return try array.enumerated().map { i, element in
            let path = "\(key)[\(i + 1)]"
            guard let table = element.table else { throw error(path, "must be a table: write [[\(key)]] entries") }
            return (table, path)
        }
    }

    func string(_ value: TOMLValueConvertible, at key: String) throws -> String {
        guard let text = value.string else { throw error(key, "must be a quoted string") }
        return text
    }

    /// A required, non-empty string entry of `table`.
    func requiredString(_ table: TOMLTable, _ name: String, at prefix: String, why: String) throws -> String {
        let key = join(prefix, name)
        guard let value = table[name] else { throw error(key, "missing: \(why)") }
        let text = try string(value, at: key)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error(key, "is empty: \(why)") }
        return text
    }

    /// A TOML date (`2027-01-31`) or a string holding one.
    func day(_ value: TOMLValueConvertible, at key: String) throws -> CalendarDay {
        if let date = value.date, let day = CalendarDay(year: date.year, month: date.month, day: date.day) { return day }
        guard let text = value.string else { throw error(key, "must be a date (YYYY-MM-DD)") }
        guard let day = CalendarDay(parsing: text) else { throw error(key, "\"\(text)\" is not a date (YYYY-MM-DD)") }
        return day
    }

    /// A value as rule settings take it: a string, number or boolean, as text.
    func settingText(_ value: TOMLValueConvertible, at key: String) throws -> String {
        if let s = value.string { return s }
        if let b = value.bool { return b ? "true" : "false" }
        if let i = value.int { return String(i) }
        if let d = value.double { return String(d) }
        throw error(key, "must be a string, number or boolean")
    }
}
