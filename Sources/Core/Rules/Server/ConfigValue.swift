import Model

/// Setting values written the way `postgresql.conf` and `ALTER SYSTEM` accept them, for the
/// remediations of the query and server rules.
public enum ConfigValue {
    /// Bytes in the largest unit that divides them exactly: `2GB`, `1536MB`, `640kB`. Values
    /// that are not whole kilobytes are rounded up to the next kilobyte (memory settings have
    /// no smaller unit).
    public static func size(_ bytes: Int64) -> String {
        let kilobytes = (max(0, bytes) + 1023) / 1024
        let units: [(String, Int64)] = [("TB", 1 << 30), ("GB", 1 << 20), ("MB", 1 << 10)]
        for (unit, factor) in units where kilobytes >= factor && kilobytes % factor == 0 {
            return "\(kilobytes / factor)\(unit)"
        }
        return "\(kilobytes)kB"
    }

    /// Milliseconds in the largest unit that divides them exactly: `1s`, `30s`, `1min`, `250ms`.
    public static func duration(ms: Double) -> String {
        let whole = Int64(max(0, ms).rounded())
        let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000)]
        for (unit, factor) in units where whole >= factor && whole % factor == 0 {
            return "\(whole / factor)\(unit)"
        }
        return "\(whole)ms"
    }

    /// The smallest power of two at or above `value` (at least 1).
    public static func powerOfTwo(atLeast value: Int64) -> Int64 {
        var power: Int64 = 1
        while power < value && power < Int64.max / 2 { power *= 2 }
        return power
    }

    /// The entries of a list setting such as `shared_preload_libraries`
    /// (`'auto_explain, "pg_stat_statements"'` → `["auto_explain", "pg_stat_statements"]`):
    /// split on commas outside double quotes, trimmed, quotes removed, empty entries dropped.
    public static func list(_ value: String) -> [String] {
        var entries: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(value)[...]
        while let c = chars.popFirst() {
            if c == "\"" {
                if quoted && chars.first == "\"" {
                    current.append("\"")
                    chars.removeFirst()
                } else {
                    quoted.toggle()
                }
            } else if c == "," && !quoted {
                entries.append(trimmed(current))
                current = ""
            } else {
                current.append(c)
            }
        }
        entries.append(trimmed(current))
        return entries.filter { !$0.isEmpty }
    }

    /// A list setting's value in `postgresql.conf` syntax: entries joined by `, `, each in
    /// double quotes only when it holds a comma, a quote or white space.
    public static func listText(_ entries: [String]) -> String {
        entries.map { entry in
            guard entry.contains(where: { $0 == "," || $0 == "\"" || $0.isWhitespace }) else { return entry }
            return "\"" + entry.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
        }.joined(separator: ", ")
    }

    private static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
