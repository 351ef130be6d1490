import Foundation
import Model

/// The rows of one statement, as text cells that know their column name.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [Row]

    init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() where index[name] == nil { index[name] = i }
        let shared = ColumnIndex(names: columns, positions: index)
        self.rows = rows.map { Row(values: $0, columns: shared) }
    }

    public var count: Int { rows.count }
    public var first: Row? { rows.first }
}

final class ColumnIndex: Sendable {
    let names: [String]
    let positions: [String: Int]
    init(names: [String], positions: [String: Int]) {
        self.names = names
        self.positions = positions
    }
}

/// One result row. Values arrive in PostgreSQL's text format; the typed accessors parse them
/// and throw a `ConnectorError` of kind `.decoding` naming the column when a value does not fit.
public struct Row: Sendable {
    fileprivate let values: [String?]
    fileprivate let columns: ColumnIndex

    init(values: [String?], columns: ColumnIndex) {
        self.values = values
        self.columns = columns
    }

    public subscript(_ name: String) -> Cell {
        guard let position = columns.positions[name] else { return Cell(column: name, text: nil, exists: false) }
        return Cell(column: name, text: values[position], exists: true)
    }
}

/// One value of a row.
public struct Cell: Sendable {
    public let column: String
    /// The value in text format; nil for SQL NULL.
    public let text: String?
    let exists: Bool

    public var isNull: Bool { text == nil }

    private func fail(_ expected: String) -> ConnectorError {
        if !exists {
            return ConnectorError(kind: .decoding, message: "the result has no column '\(column)'",
                                  advice: "the catalog query and the collector disagree; please report it")
        }
        return ConnectorError(kind: .decoding, message: "column '\(column)': expected \(expected), got '\(text ?? "NULL")'")
    }

    private func required<T>(_ expected: String, _ parse: (String) -> T?) throws -> T {
        guard let text else { throw fail(expected) }
        guard let value = parse(text) else { throw fail(expected) }
        return value
    }

    private func optional<T>(_ expected: String, _ parse: (String) -> T?) throws -> T? {
        guard exists else { throw fail(expected) }
        guard let text else { return nil }
        guard let value = parse(text) else { throw fail(expected) }
        return value
    }

    public func string() throws -> String { try required("text") { $0 } }
    public func optionalString() throws -> String? { try optional("text") { $0 } }
    public func int() throws -> Int { try required("an integer") { Int($0) } }
    public func optionalInt() throws -> Int? { try optional("an integer") { Int($0) } }
    public func int64() throws -> Int64 { try required("an integer") { Int64($0) } }
    public func optionalInt64() throws -> Int64? { try optional("an integer") { Int64($0) } }
    public func int32() throws -> Int32 { try required("an integer") { Int32($0) } }
    public func optionalInt32() throws -> Int32? { try optional("an integer") { Int32($0) } }
    public func oid() throws -> UInt32 { try required("an oid") { UInt32($0) } }
    public func double() throws -> Double { try required("a number") { Cell.parseDouble($0) } }
    public func optionalDouble() throws -> Double? { try optional("a number") { Cell.parseDouble($0) } }
    public func bool() throws -> Bool { try required("a boolean") { Cell.parseBool($0) } }
    public func optionalBool() throws -> Bool? { try optional("a boolean") { Cell.parseBool($0) } }
    public func timestamp() throws -> Timestamp { try required("a timestamp") { Timestamp(parsing: $0) } }

    /// NULL and `infinity` both read as nil.
    public func optionalTimestamp() throws -> Timestamp? {
        guard exists else { throw fail("a timestamp") }
        guard let text, text != "infinity", text != "-infinity" else { return nil }
        guard let value = Timestamp(parsing: text) else { throw fail("a timestamp") }
        return value
    }

    /// A JSON value (`json_agg`, `array_to_json`) decoded into `T`; NULL reads as nil.
    public func json<T: Decodable>(_ type: T.Type) throws -> T? {
        guard exists else { throw fail("JSON") }
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw fail("JSON of the expected shape")
        }
    }

    static func parseDouble(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "t", "true", "on": return true
        case "f", "false", "off": return false
        default: return nil
        }
    }
}
