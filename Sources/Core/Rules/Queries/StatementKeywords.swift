import Foundation

/// What a statement is, read from its first keywords without parsing (`QueryParser` parses;
/// its `StatementText` is one statement of a split script, with its line).
public enum StatementKeywords {
    /// Maintenance and bulk commands: index builds, VACUUM, ANALYZE, CLUSTER, ALTER TABLE and
    /// COPY. They read whole relations by design (through a small ring buffer, so their hit
    /// ratio is low) and sort with `maintenance_work_mem`, not `work_mem`, so the statement
    /// rules about disk reads and temp files leave them out.
    public static func isMaintenance(_ query: String?) -> Bool {
        guard let query else { return false }
        let words = leadingWords(query, count: 3)
        return maintenancePrefixes.contains { prefix in
            words.count >= prefix.count && Array(words.prefix(prefix.count)) == prefix
        }
    }

    static let maintenancePrefixes: [[String]] = [
        ["CREATE", "INDEX"], ["CREATE", "UNIQUE", "INDEX"], ["REINDEX"], ["CLUSTER"], ["VACUUM"], ["ANALYZE"],
        ["ANALYSE"], ["ALTER", "TABLE"], ["COPY"],
    ]

    /// The first `count` words of the statement in upper case, after white space and comments.
    static func leadingWords(_ query: String, count: Int) -> [String] {
        var words: [String] = []
        var rest = Substring(query)
        while words.count < count {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return words }
                rest = rest[end.upperBound...]
            } else {
                let word = rest.prefix { $0.isLetter || $0 == "_" }
                guard !word.isEmpty else { return words }
                words.append(word.uppercased())
                rest = rest.dropFirst(word.count)
            }
        }
        return words
    }
}
