import Foundation
import Model

extension Plan {
    /// The plan as `apply --plan` reads it: pretty-printed, keys sorted, so two plans diff line by line.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a plan file; refuses one written by a newer pgadvisor.
    public init(jsonData data: Data) throws(PlanFileError) {
        struct Version: Decodable {
            var schemaVersion: Int?
            var steps: [Step]?
            /// What a snapshot has and a plan has not.
            var statements: [Step]?
            struct Step: Decodable {}
        }
        guard let version = try? JSONDecoder().decode(Version.self, from: data), let number = version.schemaVersion else {
            throw PlanFileError(description: "not a plan file (no schemaVersion): write one with 'pgadvisor plan --format json'")
        }
        guard version.steps != nil || version.statements == nil else {
            throw PlanFileError(description: "a snapshot, not a plan: make a plan of it with 'pgadvisor plan --from FILE --format json'")
        }
        guard number <= Plan.currentSchemaVersion else {
            throw PlanFileError(description: "the plan was written by a newer pgadvisor (plan format \(number), this one reads up to \(Plan.currentSchemaVersion)): upgrade pgadvisor")
        }
        do {
            self = try JSONDecoder().decode(Plan.self, from: data)
        } catch {
            throw PlanFileError(description: "the plan file is damaged (\(PlanFileError.summary(error))): write it again with 'pgadvisor plan --format json'")
        }
    }
}

/// A plan file that cannot be used, with what to do.
public struct PlanFileError: Error, CustomStringConvertible, Sendable {
    public var description: String

    static func summary(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "unreadable"
        }
    }
}
