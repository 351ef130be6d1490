import Foundation

// Snapshots of large databases (tens of thousands of tables and indexes) are tens of
// megabytes of JSON. Encoding or decoding one whole builds the document and the encoder's
// or decoder's own tree of it in memory at once; these write and read it a section at a
// time instead, with the same bytes as `wholeJSONData()` and the same values as
// `init(wholeJSON:)`.

extension Snapshot {
    /// Elements encoded or decoded per call of the encoder or decoder.
    static let jsonChunkSize = 500

    /// The top-level arrays that grow with the database, by key.
    private var largeSections: [String: LargeSection] {
        [
            "statements": LargeSection(statements), "tables": LargeSection(tables), "indexes": LargeSection(indexes),
            "columnStats": LargeSection(columnStats), "constraints": LargeSection(constraints),
            "sequences": LargeSection(sequences), "sessions": LargeSection(sessions), "settings": LargeSection(settings),
        ]
    }

    private static let largeSectionKeys: Set<String> = [
        "statements", "tables", "indexes", "columnStats", "constraints", "sequences", "sessions", "settings",
    ]

    /// The snapshot with its large sections emptied (they are written or read apart).
    private var withoutLargeSections: Snapshot {
        var small = self
        small.statements = []
        small.tables = []
        small.indexes = []
        small.columnStats = []
        small.constraints = []
        small.sequences = []
        small.sessions = []
        small.settings = []
        return small
    }

    /// Decodes the large sections of `data` into this snapshot, a chunk of elements at a time.
    private mutating func decodeLargeSections(
        _ data: Data, _ elements: [String: [Range<Int>]], decoder: JSONDecoder
    ) throws {
        // A section that was not cut out keeps what the skeleton decoded.
        func read<T: Decodable>(_ key: String, into section: inout [T]) throws {
            guard let ranges = elements[key] else { return }
            section = try LargeSection.decode(data, ranges, as: T.self, decoder: decoder)
        }
        try read("statements", into: &statements)
        try read("tables", into: &tables)
        try read("indexes", into: &indexes)
        try read("columnStats", into: &columnStats)
        try read("constraints", into: &constraints)
        try read("sequences", into: &sequences)
        try read("sessions", into: &sessions)
        try read("settings", into: &settings)
    }

    /// Writes exactly the bytes of `wholeJSONData()`, handing them to `write` in pieces of about a
    /// megabyte, so the whole document is never held in memory.
    public func writeJSON(_ write: (Data) throws -> Void) throws {
        try withoutActuallyEscaping(write) { try writeJSONPieces($0) }
    }

    private func writeJSONPieces(_ write: @escaping (Data) throws -> Void) throws {
        let encoder = Snapshot.jsonEncoder()
        let skeleton = try encoder.encode(withoutLargeSections)
        var output = ChunkedOutput(write: write)
        var position = skeleton.startIndex
        // An emptied top-level array is written "[\n\n  ]" at indentation 2; JSON strings hold
        // no raw newline, so this marker can only be the section itself.
        let found = try largeSections.map { key, section -> (Range<Int>, LargeSection) in
            guard let range = skeleton.range(of: Data("\n  \"\(key)\" : [\n\n  ]".utf8)) else {
                throw EncodingError.invalidValue(key, .init(codingPath: [], debugDescription: "section \(key) not found"))
            }
            return (range, section)
        }.sorted { $0.0.lowerBound < $1.0.lowerBound }
        for (range, section) in found {
            let open = range.upperBound - 5  // just past "["
            try output.append(skeleton[position..<open])
            try section.write(to: &output, encoder: encoder)
            position = range.upperBound
        }
        try output.append(skeleton[position...])
        try output.append(Data([0x0A]))
        try output.flush()
    }

    /// Reads a snapshot as `init(wholeJSON:)` does, decoding its large sections a chunk at a
    /// time. Any problem is reported exactly as `init(wholeJSON:)` reports it.
    init(streamingJSON data: Data) throws {
        guard let cut = JSONTopLevelArrays(data, keys: Snapshot.largeSectionKeys) else {
            self = try Snapshot(wholeJSON: data)
            return
        }
        do {
            var snapshot = try Snapshot(wholeJSON: cut.skeleton)
            try snapshot.decodeLargeSections(data, cut.elements, decoder: Snapshot.jsonDecoder())
            self = snapshot
        } catch {
            // The whole document, decoded at once, names the field that is wrong.
            self = try Snapshot(wholeJSON: data)
        }
    }
}

/// One large top-level array of a snapshot, encoded a chunk of elements at a time.
private struct LargeSection {
    let count: Int
    /// Elements `range`, encoded as a pretty-printed JSON array.
    let encode: (JSONEncoder, Range<Int>) throws -> Data

    init<T: Encodable>(_ items: [T]) {
        count = items.count
        encode = { encoder, range in try encoder.encode(Array(items[range])) }
    }

    /// Writes the elements and the closing bracket, after the opening one, as the whole
    /// document's encoder indents them: each chunk's "[\n  {" ... "}\n]" becomes
    /// "\n    {" ... "}" and chunks are joined by ",".
    func write(to output: inout ChunkedOutput, encoder: JSONEncoder) throws {
        guard count > 0 else {
            try output.append(Data("\n\n  ]".utf8))
            return
        }
        for start in stride(from: 0, to: count, by: Snapshot.jsonChunkSize) {
            let chunk = try encode(encoder, start..<min(count, start + Snapshot.jsonChunkSize))
            if start > 0 { try output.append(Data(",".utf8)) }
            // Drop "[" and "\n]"; indent every line by two more spaces.
            try output.appendIndented(chunk[(chunk.startIndex + 1)..<(chunk.endIndex - 2)], by: 2)
        }
        try output.append(Data("\n  ]".utf8))
    }

    /// The elements at `ranges` of `data`, decoded a chunk at a time.
    static func decode<T: Decodable>(
        _ data: Data, _ ranges: [Range<Int>], as type: T.Type, decoder: JSONDecoder
    ) throws -> [T] {
        var items: [T] = []
        items.reserveCapacity(ranges.count)
        for start in stride(from: 0, to: ranges.count, by: Snapshot.jsonChunkSize) {
            let end = min(ranges.count, start + Snapshot.jsonChunkSize)
            var chunk = Data([UInt8(ascii: "[")])
            chunk.append(data[ranges[start].lowerBound..<ranges[end - 1].upperBound])
            chunk.append(UInt8(ascii: "]"))
            items.append(contentsOf: try decoder.decode([T].self, from: chunk))
        }
        return items
    }
}

/// Bytes gathered into pieces of about a megabyte before they are handed on.
private struct ChunkedOutput {
    let write: (Data) throws -> Void
    var buffer = Data()
    static let pieceSize = 1 << 20

    init(write: @escaping (Data) throws -> Void) {
        self.write = write
        buffer.reserveCapacity(ChunkedOutput.pieceSize + 64 * 1024)
    }

    mutating func append(_ bytes: Data) throws {
        buffer.append(bytes)
        if buffer.count >= ChunkedOutput.pieceSize { try flush() }
    }

    /// Appends `bytes`, indenting every line but the first and empty ones by `spaces`.
    mutating func appendIndented(_ bytes: Data, by spaces: Int) throws {
        let indent = [UInt8](repeating: UInt8(ascii: " "), count: spaces)
        var lineStart = bytes.startIndex
        while let newline = bytes[lineStart...].firstIndex(of: 0x0A) {
            buffer.append(bytes[lineStart...newline])
            lineStart = newline + 1
            if lineStart < bytes.endIndex && bytes[lineStart] != 0x0A { buffer.append(contentsOf: indent) }
        }
        buffer.append(bytes[lineStart...])
        if buffer.count >= ChunkedOutput.pieceSize { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
