import Foundation

/// Why a snapshot file could not be read.
public enum SnapshotFileError: Error, Equatable, CustomStringConvertible {
    /// The file was written by a newer pgadvisor with a schema this build does not know.
    case newerSchema(found: Int, supported: Int)
    /// The schema version is not a positive number.
    case invalidSchemaVersion(Int)
    /// The text is not JSON, or not a pgadvisor snapshot.
    case notASnapshot(String)

    public var description: String {
        switch self {
        case let .newerSchema(found, supported):
            return "the snapshot has schema version \(found), newer than this pgadvisor reads (up to \(supported)): "
                + "analyze it with a newer pgadvisor, or take a new snapshot with this one"
        case let .invalidSchemaVersion(found):
            return "the snapshot has an invalid schema version \(found): take a new snapshot"
        case let .notASnapshot(detail):
            return "not a pgadvisor snapshot (\(detail)): pass a file written by 'pgadvisor snapshot --output'"
        }
    }
}

extension Snapshot {
    /// Pretty-printed JSON with sorted keys, so two snapshots diff line by line. Written a
    /// section at a time (`writeJSON`), which also streams it to a file.
    public func jsonData() throws -> Data {
        var data = Data()
        try writeJSON { data.append($0) }
        return data
    }

    /// Reads a snapshot, refusing files from a future schema version before decoding the rest.
    /// Large sections are decoded a chunk at a time (`init(streamingJSON:)`).
    public init(jsonData data: Data) throws {
        try self.init(streamingJSON: data)
    }

    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// The whole document encoded at once: what `jsonData()` writes section by section.
    func wholeJSONData() throws -> Data {
        var data = try Snapshot.jsonEncoder().encode(self)
        data.append(0x0A)
        return data
    }

    /// The whole document decoded at once, refusing a future schema version before the rest.
    init(wholeJSON data: Data) throws {
        struct Header: Decodable { var schemaVersion: Int? }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw SnapshotFileError.notASnapshot(Snapshot.whyNotJSON(data))
        }
        guard let version = header.schemaVersion else {
            throw SnapshotFileError.notASnapshot("no schemaVersion field")
        }
        guard version >= 1 else { throw SnapshotFileError.invalidSchemaVersion(version) }
        guard version <= Snapshot.currentSchemaVersion else {
            throw SnapshotFileError.newerSchema(found: version, supported: Snapshot.currentSchemaVersion)
        }
        do {
            self = try Snapshot.jsonDecoder().decode(Snapshot.self, from: data)
        } catch let error as DecodingError {
            throw SnapshotFileError.notASnapshot(Snapshot.describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
            let joined = keys.joined()
            return joined.isEmpty ? "top level" : String(joined.drop { $0 == "." })
        }
        switch error {
        case let .keyNotFound(key, context):
            let at = path(context)
            return "missing field '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(at)")
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "unexpected value at \(path(context))"
        case let .dataCorrupted(context):
            return "invalid value at \(path(context))"
        @unknown default:
            return "unreadable content"
        }
    }
}
