/// `--only` values: step ids, step kinds or rule ids, comma-separated or repeated. Commas inside
/// parentheses belong to an id (`create-index:shop.orders(customer_id, created_at)`).
enum StepSelectors {
    static func parse(_ values: [String]) -> [String] {
        values.flatMap(split).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func split(_ value: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if !quoted && character == "(" { depth += 1 }
            if !quoted && character == ")" { depth = max(0, depth - 1) }
            if character == "," && depth == 0 && !quoted {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        return items
    }

    /// `text` quoted for a POSIX shell, for commands pgadvisor prints.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
