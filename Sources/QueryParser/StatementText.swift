import Foundation

/// One statement of a multi-statement SQL text, with where it starts.
public struct StatementText: Equatable, Sendable {
    /// The statement without the separating semicolon, trimmed.
    public var text: String
    /// 1-based line of the statement's first character in the whole text.
    public var line: Int
    /// Byte offset (UTF-8) of the statement's first character in the whole text.
    public var offset: Int

    public init(text: String, line: Int, offset: Int = 0) {
        self.text = text
        self.line = line
        self.offset = offset
    }
}

extension QueryParser {
    /// Splits SQL text such as a `.sql` file into statements with PostgreSQL's scanner (strings,
    /// comments and dollar quotes are respected); a statement the parser would reject is still
    /// returned, for the caller to report. Empty statements are left out.
    public static func split(_ sql: String) throws(ParseError) -> [StatementText] {
        let bytes = Array(sql.utf8)
        var statements: [StatementText] = []
        for (offset, length) in try PGQuery.split(sql) {
            // A length of 0 means "to the end of the text".
            let end = length > 0 ? min(bytes.count, offset + length) : bytes.count
            guard offset >= 0, offset <= end else { continue }
            let slice = bytes[offset..<end]
            let raw = String(decoding: slice, as: UTF8.self)
            let leading = raw.prefix { $0.isWhitespace }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let start = offset + leading.utf8.count
            let line = 1 + bytes[..<start].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            statements.append(StatementText(text: text, line: line, offset: start))
        }
        return statements
    }
}
