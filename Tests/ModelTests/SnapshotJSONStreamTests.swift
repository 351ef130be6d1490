import Foundation
import Testing
@testable import Model

/// The section-by-section writer and reader must produce the same bytes and values as
/// encoding and decoding the whole document at once.
struct SnapshotJSONStreamTests {
    static let demoSnapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reports/demo/snapshot.json")

    /// Several chunks per section, texts with JSON's special characters, and empty sections.
    static func large() -> Snapshot {
        var snapshot = SnapshotTests.sample()
        let awkward = "SELECT '[{\"a\": \\\\}]', $1 /* ] } , */\n  FROM \"t\"\twhere x = 'é'"
        snapshot.statements = (0..<(Snapshot.jsonChunkSize * 2 + 7)).map { (i: Int) -> StatementStats in
            let query: String? = i % 3 == 0 ? nil : awkward + String(i)
            return StatementStats(queryId: Int64(i), query: query, calls: Int64(i), totalExecTime: Double(i) / 3)
        }
        snapshot.indexes = (0..<(Snapshot.jsonChunkSize + 1)).map {
            IndexInfo(schema: "s", name: "i\($0)", table: QualifiedName(schema: "s", name: "t"),
                      columns: $0 % 2 == 0 ? [] : [IndexColumn(column: "a")], estimatedRows: .infinity)
        }
        snapshot.columnStats = [ColumnStats(schema: "s", table: "t", column: "c", correlation: .nan,
                                            mostCommonValues: ["[", "]", "\"", ","], mostCommonFrequencies: [0.5])]
        snapshot.sessions = []
        return snapshot
    }

    @Test func writesTheBytesOfTheWholeEncoder() throws {
        for snapshot in [Self.large(), SnapshotTests.sample(), Snapshot(
            collectedAt: Timestamp(microseconds: 0), server: ServerInfo(versionNumber: 150_000, version: "15", database: "d"),
            role: RoleInfo(name: "r"))] {
            let streamed = try snapshot.jsonData()
            #expect(streamed == (try snapshot.wholeJSONData()))
        }
    }

    @Test func demoSnapshotIsWrittenAndReadAsBefore() throws {
        let data = try Data(contentsOf: Self.demoSnapshot)
        let whole = try Snapshot(wholeJSON: data)
        #expect(try Snapshot(jsonData: data) == whole)
        #expect(try whole.jsonData() == whole.wholeJSONData())
        #expect(!whole.tables.isEmpty && !whole.statements.isEmpty && !whole.columnStats.isEmpty)
    }

    @Test func readsWhatItWrites() throws {
        let snapshot = Self.large()
        let decoded = try Snapshot(jsonData: try snapshot.jsonData())
        #expect(decoded.statements == snapshot.statements)
        #expect(decoded.indexes.count == snapshot.indexes.count)
        #expect(try decoded.jsonData() == snapshot.jsonData())
    }

    /// Files not written by pgadvisor: compact, keys in another order.
    @Test func readsCompactJSONLikeTheWholeDecoder() throws {
        let object = try JSONSerialization.jsonObject(with: try Self.large().jsonData())
        let compact = try JSONSerialization.data(withJSONObject: object)
        // Compared as JSON: the sample's NaN is not equal to itself.
        #expect(try Snapshot(jsonData: compact).jsonData() == (try Snapshot(wholeJSON: compact).wholeJSONData()))
    }

    @Test func aBadElementIsNamedAsTheWholeDecoderNamesIt() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: Self.large().jsonData()) as? [String: Any])
        var indexes = try #require(json["indexes"] as? [[String: Any]])
        indexes[Snapshot.jsonChunkSize].removeValue(forKey: "name")
        json["indexes"] = indexes
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: SnapshotFileError.notASnapshot("missing field 'name' in indexes[\(Snapshot.jsonChunkSize)]")) {
            try Snapshot(jsonData: data)
        }
    }

    @Test func truncatedFileIsNotASnapshot() throws {
        let data = try Self.large().jsonData()
        #expect(throws: SnapshotFileError.self) { try Snapshot(jsonData: data.prefix(data.count / 2)) }
    }
}
