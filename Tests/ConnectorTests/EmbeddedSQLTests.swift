import Foundation
import Testing
@testable import Connector

/// The binary carries sql/ inside it; this fails when they drift apart.
struct EmbeddedSQLTests {
    static let sqlDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql")

    static func filesOnDisk() throws -> [String: String] {
        var files: [String: String] = [:]
        let root = sqlDirectory.standardizedFileURL.path
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        for case let path as String in enumerator where path.hasSuffix(".sql") && !path.hasPrefix("demo/") {
            let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            files[String(path.dropLast(4))] = text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
        return files
    }

    @Test func embeddedQueriesMatchSQLFolder() throws {
        let disk = try Self.filesOnDisk()
        #expect(!disk.isEmpty)
        let embedded = CatalogQueries.all
        let stale = Set(disk.keys).symmetricDifference(embedded.keys).sorted()
            + disk.keys.filter { embedded[$0] != nil && embedded[$0] != disk[$0] }.sorted()
        #expect(stale.isEmpty, "sql/ and the embedded copy differ in \(stale): run scripts/embed-sql")
    }

    @Test func everyCollectorQueryIsEmbedded() {
        for name in ["probe", "settings", "extensions", "statements", "statements_info", "tables", "columns",
                     "relation_sizes", "indexes", "column_stats", "constraints", "sequences", "sessions",
                     "lock_waits", "database", "databases", "checkpoints/bgwriter", "checkpoints/checkpointer", "io"] {
            #expect(CatalogQueries.all[name] != nil, "sql/\(name).sql is missing")
        }
    }
}
