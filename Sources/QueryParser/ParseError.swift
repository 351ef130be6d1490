/// SQL that PostgreSQL's parser rejects.
public struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The parser's message, as the server words it (`syntax error at or near "FROM"`).
    public var message: String
    /// The 1-based character position the error points at, when the parser gives one.
    public var cursorPosition: Int?

    public init(message: String, cursorPosition: Int? = nil) {
        self.message = message
        self.cursorPosition = cursorPosition
    }

    /// One line: `syntax error at or near "FROM" (at character 8)`.
    public var description: String {
        guard let cursorPosition else { return message }
        return "\(message) (at character \(cursorPosition))"
    }
}
