import Core

/// Prints a review report in one of its formats (one renderer per format over the same value).
enum ReviewRenderer {
    static let formats: [OutputFormat] = [.text, .markdown, .json, .html, .junit, .github]

    /// `gate` is the verdict CI fails on (`--fail-on`, else `fail`): JUnit failures and GitHub
    /// errors are the statements at or above it.
    static func render(_ report: ReviewReport, as format: OutputFormat, gate: ReviewVerdict = .fail) throws -> String {
        switch format {
        case .text: return ReviewTextRenderer.render(report)
        case .markdown: return ReviewMarkdownRenderer.render(report)
        case .json: return try JSONOutput.encode(ReviewJSON.report(report))
        case .junit: return ReviewJUnitRenderer.render(report, gate: gate)
        case .github: return ReviewGitHubRenderer.render(report, gate: gate)
        case .html: return ReviewHTMLRenderer.render(report)
        }
    }

    /// `3 files, 12 statements: 9 pass, 2 warning, 1 fail`.
    static func summary(_ report: ReviewReport) -> String {
        let files = report.files.count == 1 ? "1 file" : "\(report.files.count) files"
        let statements = report.statements.count == 1 ? "1 statement" : "\(report.statements.count) statements"
        let counts = ReviewVerdict.allCases.map { "\(report.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        return "\(files), \(statements): \(counts)"
    }

    /// The statement on one line, shortened: for headings and test names.
    static func excerpt(_ statement: StatementReview, limit: Int = 80) -> String {
        Format.oneLine(statement.text, limit: limit)
    }

    /// `cost 1,234.5, ~10 rows` (and `, actual 12 rows` with ANALYZE); nil when not planned.
    static func planSummary(_ statement: StatementReview) -> String? {
        guard let plan = statement.plan else { return nil }
        var text = "cost \(Format.decimal(plan.totalCost)), ~\(Format.rows(plan.rows)) rows"
        if statement.analyzed, let actual = plan.actualRows { text += ", actual \(Format.rows(actual)) rows" }
        return text
    }
}
