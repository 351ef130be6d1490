/// The value of a list setting (`shared_preload_libraries`, `search_path`, ...) as PostgreSQL
/// reads it: entries separated by commas, double quotes around entries that hold one. Rules
/// build such values and the planner splits them again into one literal per entry.
public enum SettingList {
    /// The entries of a list setting such as `shared_preload_libraries`
    /// (`'auto_explain, "pg_stat_statements"'` → `["auto_explain", "pg_stat_statements"]`):
    /// split on commas outside double quotes, trimmed, quotes removed, empty entries dropped.
    /// With `foldingCase`, characters outside quotes are lower-cased, as the server reads
    /// identifier lists such as `search_path` (`App, "Tenant A"` → `app`, `Tenant A`).
    public static func entries(_ value: String, foldingCase: Bool = false) -> [String] {
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
                current += foldingCase && !quoted ? c.lowercased() : String(c)
            }
        }
        entries.append(trimmed(current))
        return entries.filter { !$0.isEmpty }
    }

    /// A list setting's value in `postgresql.conf` syntax: entries joined by `, `, each in
    /// double quotes only when it holds a comma, a quote or white space.
    public static func text(_ entries: [String]) -> String {
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
