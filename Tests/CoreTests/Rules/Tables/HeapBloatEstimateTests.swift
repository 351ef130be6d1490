@testable import Core
import Model
import Testing

/// The statistical heap model and the pgstattuple_approx path, against figures computed by hand.
@Suite struct HeapBloatEstimateTests {
    /// id bigint (8), payload text (100), n integer (4, half of it null): 110 data bytes.
    static func table(
        rows: Double = 100_000, pages: Int64 = 3450, options: [String] = [], toastRows: Double = 0, toastPages: Int64 = 0
    ) -> TableInfo {
        TableInfo(
            schema: "shop", name: "t", estimatedRows: rows, pages: pages, options: options, toastPages: toastPages,
            toastRows: toastRows, columns: [
                Column(name: "id", position: 1, type: "bigint", notNull: true),
                Column(name: "payload", position: 2, type: "text"),
                Column(name: "n", position: 3, type: "integer"),
            ])
    }

    static let stats: [String: ColumnStats] = [
        "id": ColumnStats(schema: "shop", table: "t", column: "id", averageWidth: 8),
        "payload": ColumnStats(schema: "shop", table: "t", column: "payload", averageWidth: 100),
        "n": ColumnStats(schema: "shop", table: "t", column: "n", nullFraction: 0.5, averageWidth: 4),
    ]

    static func estimate(_ table: TableInfo, stats: [String: ColumnStats] = stats, maxAlign: Int = 8) throws -> HeapBloatEstimate {
        let assessment = HeapBloatEstimate.statistical(table, columnStats: stats, blockSize: 8192, maxAlign: maxAlign)
        return try #require(assessment.estimate, "\(assessment)")
    }

    @Test func tupleSizePagesAndWaste() throws {
        // Data 8 + 100 + 0.5 × 4 = 110 → 112; header 23 + 1 null-bitmap byte = 24; tuple 4 + 24 + 112 = 140.
        // floor(8168 / 140) = 58 tuples a page; ceil(100,000 / 58) = 1,725 pages; 3,450 − 1,725 wasted.
        let e = try Self.estimate(Self.table())
        #expect(e.tupleBytes == 140)
        #expect(e.tuplesPerPage == 58)
        #expect(e.expectedPages == 1725)
        #expect(e.actualPages == 3450)
        #expect(e.wastedBytes == 1725 * 8192)
        #expect(e.extraBytes == 1725 * 8192)
        #expect(e.ratio == 0.5)
        #expect(e.method == .statistical)
        #expect(e.methodText == "statistical estimate")
    }

    @Test func fillfactorReserveIsExtraButNotWaste() throws {
        // 8168 × 0.8 = 6534.4 bytes → 46 tuples a page → ceil(100,000 / 46) = 2,174 pages.
        let e = try Self.estimate(Self.table(options: ["fillfactor=80"]))
        #expect(e.fillfactor == 80)
        #expect(e.tuplesPerPage == 46)
        #expect(e.expectedPages == 2174)
        #expect(e.wastedBytes == (3450 - 2174) * 8192)
        #expect(e.extraBytes == (3450 - 1725) * 8192)
        #expect(abs(e.ratio - 1276.0 / 3450.0) < 1e-12)
    }

    @Test func toastPagesCountFourChunksEach() throws {
        // TOAST: ceil(4,001 / 4) = 1,001 pages expected of 1,500; total 4,950 against 2,726.
        let e = try Self.estimate(Self.table(toastRows: 4001, toastPages: 1500))
        #expect(e.expectedPages == Int64(1725 + 1001))
        #expect(e.actualPages == 4950)
        #expect(e.wastedBytes == 2224 * 8192)
        #expect(abs(e.ratio - 2224.0 / 4950.0) < 1e-12)
    }

    @Test func toastNeverVacuumedIsNeutral() throws {
        let e = try Self.estimate(Self.table(toastRows: -1, toastPages: 900))
        #expect(e.expectedPages == Int64(1725 + 900))
        #expect(e.wastedBytes == 1725 * 8192)
    }

    @Test func maxAlignFourPacksTighter() throws {
        // a integer (4) + b text (102) = 106 data bytes: 108 at MAXALIGN 4, 112 at 8; no nulls: header 23 → 24.
        let table = TableInfo(schema: "shop", name: "u", estimatedRows: 1000, pages: 20, columns: [
            Column(name: "a", position: 1, type: "integer", notNull: true), Column(name: "b", position: 2, type: "text"),
        ])
        let stats = [
            "a": ColumnStats(schema: "shop", table: "u", column: "a", averageWidth: 4),
            "b": ColumnStats(schema: "shop", table: "u", column: "b", averageWidth: 102),
        ]
        #expect(try Self.estimate(table, stats: stats, maxAlign: 4).tupleBytes == 136)
        #expect(try Self.estimate(table, stats: stats, maxAlign: 8).tupleBytes == 140)
        // 8168 / 136 = 60 a page → 17 pages; 8168 / 140 = 58 → 18 pages.
        #expect(try Self.estimate(table, stats: stats, maxAlign: 4).expectedPages == 17)
        #expect(try Self.estimate(table, stats: stats, maxAlign: 8).expectedPages == 18)
    }

    @Test func emptyTableWithPagesIsAllWaste() throws {
        let e = try Self.estimate(Self.table(rows: 0, pages: 100))
        #expect(e.expectedPages == 0)
        #expect(e.ratio == 1)
    }

    @Test func notEstimated() {
        func reason(_ table: TableInfo, _ stats: [String: ColumnStats] = Self.stats) -> String? {
            if case .unavailable(let why) = HeapBloatEstimate.statistical(table, columnStats: stats, blockSize: 8192, maxAlign: 8) {
                return why
            }
            return nil
        }
        var stats = Self.stats
        stats["payload"] = nil
        #expect(reason(Self.table(), stats)?.contains("payload") == true)
        #expect(reason(Self.table(rows: -1))?.contains("never vacuumed or analyzed") == true)
        var named = Self.table()
        named.columns[1].type = "name"
        #expect(reason(named)?.contains("type name") == true)
        var parent = Self.table()
        parent.kind = .partitioned
        #expect(reason(parent)?.contains("partitioned") == true)
        #expect(reason(Self.table()) == nil)
    }

    @Test func measuredFreeAndDeadSpace() throws {
        var table = Self.table()
        table.exactBloat = ExactBloat(tableBytes: 100 << 20, scannedPercent: 42.5, freeBytes: 30 << 20, freePercent: 30,
                                      deadTupleBytes: 25 << 20, deadTuplePercent: 25)
        let e = try #require(HeapBloatEstimate.measured(table))
        #expect(e.wastedBytes == 55 << 20)
        #expect(e.extraBytes == 55 << 20)
        #expect(abs(e.ratio - 0.55) < 1e-12)
        #expect(e.actualBytes == 100 << 20)
        #expect(e.methodText == "pgstattuple_approx (measured, 42.5 % of pages scanned)")

        table.options = ["fillfactor=90"]
        let reserved = try #require(HeapBloatEstimate.measured(table))
        #expect(reserved.wastedBytes == 45 << 20)
        #expect(reserved.extraBytes == 55 << 20)
        #expect(abs(reserved.ratio - 0.45) < 1e-12)
    }

    @Test func assessPrefersTheMeasurement() throws {
        var table = Self.table()
        table.exactBloat = ExactBloat(tableBytes: 64 << 20, scannedPercent: 100, freeBytes: 1 << 20, freePercent: 1.5625,
                                      deadTupleBytes: 0, deadTuplePercent: 0)
        // No column statistics at all: the statistical model could not run, the measurement can.
        let snapshot = Example.snapshot(tables: [table])
        let e = try #require(HeapBloatEstimate.assess(table, facts: SnapshotFacts(snapshot), blockSize: 8192).estimate)
        #expect(e.method == .measured(scannedPercent: 100))
        #expect(e.wastedBytes == 1 << 20)
    }

    @Test func thresholdsNeedBytesAndShare() {
        let t = HeapBloatEstimate.Thresholds.standard
        func estimate(_ ratio: Double, _ bytes: Int64) -> HeapBloatEstimate {
            HeapBloatEstimate(method: .statistical, actualBytes: bytes * 2, extraBytes: bytes, wastedBytes: bytes, ratio: ratio,
                              fillfactor: 100)
        }
        #expect(t.isBloated(estimate(0.5, 10 << 20)))
        #expect(!t.isBloated(estimate(0.5, (10 << 20) - 1)))
        #expect(!t.isBloated(estimate(0.49, 900 << 20)))
        #expect(t.isBloated(estimate(0.25, 1 << 30)))
        #expect(!t.isBloated(estimate(0.24, 5 << 30)))
    }
}
