import Foundation
import Testing
@testable import Model

struct SnapshotTests {
    static func sample() -> Snapshot {
        Snapshot(
            generator: "pgadvisor test", collectedAt: Timestamp(microseconds: 1_795_000_000_123_456),
            server: ServerInfo(versionNumber: 150_018, version: "15.18", database: "app"),
            role: RoleInfo(name: "audit", pgMonitor: true),
            settings: [Setting(name: "work_mem", value: "4096", unit: "kB")],
            statements: [StatementStats(queryId: -42, query: "SELECT $1", calls: 3, totalExecTime: 0.1 + 0.2)],
            tables: [TableInfo(schema: "shop", name: "Order \"Notes\"", estimatedRows: -1, options: ["fillfactor=70"],
                               columns: [Column(name: "é", position: 1, type: "text")],
                               size: RelationSize(bytes: 8192, measured: false))],
            sources: [SourceStatus(name: "pg_stat_statements", state: .partial, reason: "hidden", rows: 1)])
    }

    @Test func roundTripIsLossless() throws {
        let snapshot = Self.sample()
        let decoded = try Snapshot(jsonData: try snapshot.jsonData())
        #expect(decoded == snapshot)
        #expect(try decoded.jsonData() == snapshot.jsonData())
    }

    @Test func futureSchemaIsRefusedWithAClearMessage() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: Self.sample().jsonData()) as? [String: Any])
        json["schemaVersion"] = Snapshot.currentSchemaVersion + 1
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: SnapshotFileError.newerSchema(found: Snapshot.currentSchemaVersion + 1,
                                                     supported: Snapshot.currentSchemaVersion)) {
            try Snapshot(jsonData: data)
        }
        let message = SnapshotFileError.newerSchema(found: 2, supported: 1).description
        #expect(message.contains("newer") && !message.contains("\n"))
    }

    @Test func garbageIsNotASnapshot() {
        #expect(throws: SnapshotFileError.self) { try Snapshot(jsonData: Data("[1,2]".utf8)) }
        #expect(throws: SnapshotFileError.notASnapshot("no schemaVersion field")) {
            try Snapshot(jsonData: Data("{}".utf8))
        }
        #expect(throws: SnapshotFileError.invalidSchemaVersion(0)) {
            try Snapshot(jsonData: Data(#"{"schemaVersion":0}"#.utf8))
        }
    }

    /// Snapshots written before the server's limits, replica identity, TOAST options and role
    /// settings were collected still load: those fields are simply absent.
    @Test func olderSnapshotsWithoutLaterFieldsStayReadable() throws {
        var snapshot = Self.sample()
        snapshot.settings = [Setting(name: "io_method", value: "worker", type: "enum", enumValues: ["sync", "worker"],
                                     minValue: nil, maxValue: nil)]
        var json = try #require(try JSONSerialization.jsonObject(with: snapshot.jsonData()) as? [String: Any])
        var settings = try #require(json["settings"] as? [[String: Any]])
        settings[0].removeValue(forKey: "enumValues")
        json["settings"] = settings
        let decoded = try Snapshot(jsonData: try JSONSerialization.data(withJSONObject: json))
        #expect(decoded.settings.first?.enumValues == nil)
        #expect(decoded.settings.first?.value == "worker")
    }

    /// PostgreSQL 18's additions (pg_stat_io rows, pg_stat_statements 1.11/1.12 columns) round
    /// trip, and a snapshot without them (an older file, a PostgreSQL 15 server) still loads.
    @Test func versionedFieldsRoundTripAndMayBeAbsent() throws {
        var snapshot = Self.sample()
        snapshot.io = [IOStats(backendType: "client backend", reads: 10, writes: 2, hits: 900, fsyncs: 0,
                               statsReset: Timestamp(microseconds: 1_795_000_000_000_000))]
        snapshot.statements[0].statsSince = Timestamp(microseconds: 1_794_999_000_000_000)
        snapshot.statements[0].walBuffersFull = 3
        snapshot.statements[0].parallelWorkersToLaunch = 4
        snapshot.statements[0].parallelWorkersLaunched = 2
        let decoded = try Snapshot(jsonData: try snapshot.jsonData())
        #expect(decoded == snapshot)

        let old = try #require(try JSONSerialization.jsonObject(with: Self.sample().jsonData()) as? [String: Any])
        #expect(old["io"] == nil)
        let statement = try #require((old["statements"] as? [[String: Any]])?.first)
        #expect(statement["statsSince"] == nil && statement["walBuffersFull"] == nil)
        let loaded = try Snapshot(jsonData: try JSONSerialization.data(withJSONObject: old))
        #expect(loaded.io == nil && loaded.statements.first?.statsSince == nil)
    }

    @Test func missingFieldIsNamed() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: Self.sample().jsonData()) as? [String: Any])
        json.removeValue(forKey: "server")
        let data = try JSONSerialization.data(withJSONObject: json)
        do {
            _ = try Snapshot(jsonData: data)
            Issue.record("decoding should fail")
        } catch let error as SnapshotFileError {
            #expect(error.description.contains("missing field 'server'"))
        }
    }

    @Test func tableOptionsAreParsed() {
        let table = TableInfo(schema: "s", name: "t", options: ["fillfactor=70", "autovacuum_enabled=false"])
        #expect(table.fillfactor == 70)
        #expect(table.autovacuumEnabled == false)
        #expect(TableInfo(schema: "s", name: "t").autovacuumEnabled)
        #expect(TableInfo(schema: "s", name: "t").fillfactor == 100)
    }
}
