import Foundation

/// A JSON document as the schema validator sees it: booleans, integers and other numbers
/// kept apart.
indirect enum JSONSchemaValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONSchemaValue])
    case object([String: JSONSchemaValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONSchemaValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONSchemaValue].self))
        }
    }

    static func load(_ url: URL) throws -> JSONSchemaValue {
        try JSONDecoder().decode(JSONSchemaValue.self, from: Data(contentsOf: url))
    }

    static func parse(_ text: String) throws -> JSONSchemaValue {
        try JSONDecoder().decode(JSONSchemaValue.self, from: Data(text.utf8))
    }

    /// The JSON Schema type names this value has (an integer is also a number).
    var types: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .number(let x): x == x.rounded() && abs(x) < 1e15 ? ["integer", "number"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }
}
