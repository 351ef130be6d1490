import ArgumentParser

/// How a report is printed. Each command accepts the formats its report has (see
/// `ReportOutputGroup.resolve`); `plan` has its own (`PlanFormat`, with the psql script).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned plain text for a terminal or a log.
    case text
    /// GitHub-flavoured Markdown, for tickets and wikis.
    case markdown
    /// Stable JSON for other programs (schemas in reports/schema/).
    case json
    /// One self-contained page: inline CSS and SVG, nothing fetched.
    case html
    /// JUnit XML, one test case per checked item, for CI systems.
    case junit
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    case github

    /// The format a file name asks for, from its extension.
    static func forFile(_ path: String) -> OutputFormat? {
        let name = path.lowercased()
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        return byExtension[String(name[name.index(after: dot)...])]
    }

    static let byExtension: [String: OutputFormat] = [
        "txt": .text, "text": .text, "md": .markdown, "markdown": .markdown, "json": .json,
        "html": .html, "htm": .html, "xml": .junit,
    ]

    /// The extension a file of this format takes (for messages and saved runs).
    var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .json: "json"
        case .html: "html"
        case .junit: "xml"
        case .github: "txt"
        }
    }
}

extension OutputFormat {
    /// A renderer asked for a format its command does not offer (the command's
    /// `ReportOutputGroup.resolve` rules that out before anything runs).
    struct Unsupported: Error, CustomStringConvertible {
        var format: OutputFormat
        var description: String { "this report has no \(format.rawValue) form" }
    }
}
