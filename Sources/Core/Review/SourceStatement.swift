import QueryParser

/// One statement of a reviewed file: where it starts, its text, and what the parser made of it.
public struct SourceStatement: Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var text: String
    public var parsed: Result<StatementClass, ParseError>
    /// Where a syntax error points (the parser's cursor), when `parsed` failed.
    public var errorLine: Int?
    public var errorColumn: Int?

    /// The statements of `text` (a file's contents), split by PostgreSQL's scanner so a
    /// statement the parser rejects leaves the others reviewable. Text the scanner itself cannot
    /// split (an unterminated quote or comment) is one statement at the top that fails to parse.
    public static func read(_ text: String, file: String) -> [SourceStatement] {
        let positions = SourcePositions(text)
        let pieces: [StatementText]
        do {
            pieces = try QueryParser.split(text)
        } catch {
            var whole = SourceStatement(file: file, line: 1, column: 1, text: text, parsed: .failure(error))
            if let cursor = error.cursorPosition {
                (whole.errorLine, whole.errorColumn) = positions.position(ofByte: SourcePositions.byteOffset(ofCharacter: cursor, in: text))
            }
            return [whole]
        }
        return pieces.map { whole in
            let piece = withoutLeadingComments(whole)
            let (line, column) = positions.position(ofByte: piece.offset)
            var statement = SourceStatement(file: file, line: line, column: column, text: piece.text, parsed: classify(piece.text))
            if case .failure(let error) = statement.parsed, let cursor = error.cursorPosition {
                let offset = piece.offset + SourcePositions.byteOffset(ofCharacter: cursor, in: piece.text)
                (statement.errorLine, statement.errorColumn) = positions.position(ofByte: offset)
            }
            return statement
        }
    }

    /// The statement from its first token: comments before it (a file's header, a note on the
    /// statement) are left out of its text and position.
    static func withoutLeadingComments(_ piece: StatementText) -> StatementText {
        var bytes = Array(piece.text.utf8)[...]
        while true {
            let before = bytes.count
            bytes = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }
            if bytes.starts(with: "--".utf8) {
                bytes = bytes.drop { $0 != 0x0A }
            } else if bytes.starts(with: "/*".utf8) {
                bytes = afterBlockComment(bytes)
            }
            if bytes.count == before { break }
        }
        let skipped = piece.text.utf8.count - bytes.count
        guard skipped > 0, !bytes.isEmpty else { return piece }
        var trimmed = piece
        trimmed.text = String(decoding: bytes, as: UTF8.self)
        trimmed.offset += skipped
        return trimmed
    }

    /// What follows the block comment `bytes` starts with (PostgreSQL's nest); empty when it
    /// does not end.
    private static func afterBlockComment(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var depth = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let next = bytes.index(after: i)
            if next < bytes.endIndex, bytes[i] == 0x2F, bytes[next] == 0x2A {
                depth += 1
                i = bytes.index(after: next)
            } else if next < bytes.endIndex, bytes[i] == 0x2A, bytes[next] == 0x2F {
                depth -= 1
                i = bytes.index(after: next)
                if depth == 0 { return bytes[i...] }
            } else {
                i = next
            }
        }
        return bytes[bytes.endIndex...]
    }

    private static func classify(_ text: String) -> Result<StatementClass, ParseError> {
        do {
            return .success(try QueryParser.classify(text))
        } catch {
            return .failure(error)
        }
    }

    init(file: String, line: Int, column: Int, text: String, parsed: Result<StatementClass, ParseError>) {
        self.file = file
        self.line = line
        self.column = column
        self.text = text
        self.parsed = parsed
    }
}

/// Line and column (1-based, counted in characters) of byte offsets in a text.
struct SourcePositions {
    private let bytes: [UInt8]
    /// Byte offsets where each line starts.
    private let lineStarts: [Int]

    init(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes = utf8
        lineStarts = [0] + utf8.indices.filter { utf8[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
    }

    func position(ofByte offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        let index = (lineStarts.lastIndex { $0 <= clamped }) ?? 0
        let prefix = bytes[lineStarts[index]..<clamped]
        return (index + 1, String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1)
    }

    /// The byte offset of the 1-based character position `cursor` (as PostgreSQL counts it).
    static func byteOffset(ofCharacter cursor: Int, in text: String) -> Int {
        String(text.unicodeScalars.prefix(max(0, cursor - 1))).utf8.count
    }
}
