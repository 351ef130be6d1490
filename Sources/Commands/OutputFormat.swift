import ArgumentParser

/// How a report is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Aligned plain text for a terminal or a log.
    case text
    /// GitHub-flavoured Markdown, for tickets and wikis.
    case markdown
    /// Stable JSON for other programs (see the README for the schema).
    case json
}
