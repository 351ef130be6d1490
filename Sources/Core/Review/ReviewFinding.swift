/// One reason for a statement's verdict.
public struct ReviewFinding: Equatable, Sendable {
    /// The ``ReviewCheck`` id.
    public var check: String
    public var verdict: ReviewVerdict
    public var message: String
    /// What to do instead: SQL rendered by the planner, or advice.
    public var fix: String?
    /// Where in the file, when more precise than the statement's start (a syntax error's cursor).
    public var line: Int?
    public var column: Int?

    public init(check: ReviewCheck, verdict: ReviewVerdict? = nil, message: String, fix: String? = nil,
                line: Int? = nil, column: Int? = nil) {
        self.check = check.id
        self.verdict = verdict ?? check.verdict
        self.message = message
        self.fix = fix
        self.line = line
        self.column = column
    }
}
