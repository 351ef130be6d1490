import Core
import Model
import Testing

struct SnapshotSummaryTests {
    static func snapshot() -> Snapshot {
        Snapshot(
            collectedAt: Timestamp(microseconds: 0),
            server: ServerInfo(versionNumber: 150_018, version: "15.18", database: "app"),
            role: RoleInfo(name: "audit", pgMonitor: true),
            statements: [
                StatementStats(queryId: 1, query: "SELECT fast", calls: 1000, totalExecTime: 100),
                StatementStats(queryId: 2, query: "SELECT slow", calls: 10, totalExecTime: 300, sharedBlocksHit: 9,
                               sharedBlocksRead: 1),
                StatementStats(queryId: 3, query: "SELECT nested", toplevel: false, calls: 5, totalExecTime: 5000),
                StatementStats(queryId: nil, query: nil, calls: 7, totalExecTime: 600),
            ],
            tables: [
                TableInfo(schema: "s", name: "small", estimatedRows: 10, size: RelationSize(bytes: 8192)),
                TableInfo(schema: "s", name: "big", estimatedRows: -1,
                          size: RelationSize(bytes: 1 << 20, indexBytes: 1 << 19, measured: false)),
                TableInfo(schema: "s", name: "parent", kind: .partitioned),
            ],
            indexes: [
                IndexInfo(schema: "s", name: "big_pkey", table: QualifiedName(schema: "s", name: "big"), scans: 900,
                          tuplesRead: 950, tuplesFetched: 900, size: RelationSize(bytes: 1 << 16)),
                IndexInfo(schema: "s", name: "big_at_idx", table: QualifiedName(schema: "s", name: "big"), method: "brin",
                          scans: 40, tuplesRead: 12_800, tuplesFetched: 0, size: RelationSize(bytes: 24_576)),
                IndexInfo(schema: "s", name: "big_unused_idx", table: QualifiedName(schema: "s", name: "big"),
                          pages: 128, scans: 0),
            ],
            sources: [
                SourceStatus(name: "pg_stat_statements", state: .partial, reason: "1 hidden", fix: "GRANT"),
                SourceStatus(name: "tables", state: .collected),
            ])
    }

    @Test func ranksTopLevelStatementsByTotalTime() {
        let summary = SnapshotSummary(Self.snapshot())
        #expect(summary.statements.available)
        #expect(summary.statements.top.map(\.queryId) == [2, 1])
        // nested statements are not counted twice; hidden ones count towards the total
        #expect(summary.statements.totalExecTime == 1000)
        #expect(summary.statements.top[0].share == 0.3)
        #expect(summary.statements.top[0].sharedHitRatio == 0.9)
        #expect(summary.statements.top[1].rowsPerCall == 0)
    }

    @Test func listsLargestTablesAndSkippedSources() {
        let summary = SnapshotSummary(Self.snapshot(), top: 1)
        #expect(summary.sizes.largestTables.map(\.table.name) == ["big"])
        #expect(summary.sizes.largestTables[0].estimatedRows == 0)
        #expect(summary.sizes.tables == 3)
        #expect(!summary.sizes.allMeasured)
        #expect(summary.sizes.indexBytes == 1 << 19)
        #expect(summary.skipped.map(\.source) == ["pg_stat_statements"])
        #expect(summary.server.visibility == "pg_monitor")
    }

    /// The runbooks' "most frequent statements": by calls, not by time, limited by `--top`.
    @Test func ranksFrequentStatementsByCalls() {
        let summary = SnapshotSummary(Self.snapshot())
        #expect(summary.statements.frequent.map(\.queryId) == [1, 2])
        #expect(summary.statements.frequent[0].calls == 1000)
        #expect(SnapshotSummary(Self.snapshot(), top: 1).statements.frequent.map(\.queryId) == [1])
    }

    /// Each index with its scans, tuples read and fetched, and size, by scans, limited by `--top`.
    @Test func ranksIndexUsageByScans() {
        let summary = SnapshotSummary(Self.snapshot())
        #expect(summary.indexUsage.map(\.index.name) == ["big_pkey", "big_at_idx", "big_unused_idx"])
        #expect(summary.indexUsage[1].method == "brin")
        #expect(summary.indexUsage[1].tuplesRead == 12_800)
        #expect(summary.indexUsage[0].tuplesFetched == 900)
        #expect(summary.indexUsage[0].sizeBytes == 1 << 16)
        #expect(summary.indexUsage[2].sizeBytes == 128 * 8192)  // from relpages when unmeasured
        #expect(SnapshotSummary(Self.snapshot(), top: 2).indexUsage.count == 2)
    }
}
