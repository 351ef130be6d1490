@testable import Core
import Model
import Testing

/// Hand-computed cases of the btree size model (8 kB pages: 8192 − 24 − 16 = 8152 usable bytes
/// before the fillfactor).
@Suite struct BtreeBloatEstimateTests {
    @Test func integerKeyWithoutNulls() throws {
        // tuple = 4 + MAXALIGN(8) + MAXALIGN(4) = 20; 8152 × 0.9 = 7336.8 → 366 per page;
        // 1,000,000 / 366 → 2733 leaf pages + 1 metapage.
        let e = try #require(BtreeBloatEstimate.estimate(
            rows: 1_000_000, actualPages: 2745, columns: [.init(nullFraction: 0, averageWidth: 4)]))
        #expect(e.tupleBytes == 20)
        #expect(e.tuplesPerPage == 366)
        #expect(e.expectedPages == 2734)
        #expect(e.wastedBytes == 11 * 8192)
        #expect(e.wastedRatio < 0.01)
    }

    @Test func nullableColumnsAddTheBitmapAndShrinkTheData() throws {
        // header 8 + 4 → MAXALIGN 16; data 0.5 × 20 + 8 = 18 → 24; tuple 44; 7336.8 / 44 → 166;
        // 100,000 / 166 → 603 + 1 = 604 pages; 2000 actual → 1396 wasted pages.
        let e = try #require(BtreeBloatEstimate.estimate(
            rows: 100_000, actualPages: 2000,
            columns: [.init(nullFraction: 0.5, averageWidth: 20), .init(nullFraction: 0, averageWidth: 8)]))
        #expect(e.tupleBytes == 44)
        #expect(e.tuplesPerPage == 166)
        #expect(e.expectedPages == 604)
        #expect(e.wastedBytes == 1396 * 8192)
        #expect(abs(e.wastedRatio - 0.698) < 0.001)
    }

    @Test func fractionalWidthRoundsUpBeforeAlignment() throws {
        // 0.9 × 13 + 8 = 19.7 → 20 → 24; header 16; tuple 44 → 166 per page; 250,000 → 1507 + 1.
        let e = try #require(BtreeBloatEstimate.estimate(
            rows: 250_000, actualPages: 1500,
            columns: [.init(nullFraction: 0.1, averageWidth: 13), .init(nullFraction: 0, averageWidth: 8)]))
        #expect(e.expectedPages == 1508)
        #expect(e.wastedBytes == 0, "smaller than expected is no waste")
        #expect(e.wastedRatio == 0)
    }

    @Test func fourByteAlignment() throws {
        // tuple = 4 + 8 + 4 = 16 → 458 per page; 10,000 / 458 → 22 + 1.
        let e = try #require(BtreeBloatEstimate.estimate(
            rows: 10_000, actualPages: 30, columns: [.init(nullFraction: 0, averageWidth: 4)], maxAlign: 4))
        #expect(e.tupleBytes == 16)
        #expect(e.tuplesPerPage == 458)
        #expect(e.expectedPages == 23)
    }

    @Test func fillfactorChangesTheExpectedSize() throws {
        // ff 100: 8152 / 20 → 407 per page; 1,000,000 / 407 → 2458 + 1.
        let full = try #require(BtreeBloatEstimate.estimate(
            rows: 1_000_000, actualPages: 3000, columns: [.init(nullFraction: 0, averageWidth: 8)], fillfactor: 100))
        #expect(full.tuplesPerPage == 407)
        #expect(full.expectedPages == 2459)
        // ff 50: 4076 / 20 → 203 per page; 1,000,000 / 203 → 4927 + 1.
        let half = try #require(BtreeBloatEstimate.estimate(
            rows: 1_000_000, actualPages: 3000, columns: [.init(nullFraction: 0, averageWidth: 8)], fillfactor: 50))
        #expect(half.expectedPages == 4928)
    }

    @Test func nothingToJudge() {
        #expect(BtreeBloatEstimate.estimate(rows: 0, actualPages: 10, columns: [.init(nullFraction: 0, averageWidth: 4)]) == nil)
        #expect(BtreeBloatEstimate.estimate(rows: -1, actualPages: 10, columns: [.init(nullFraction: 0, averageWidth: 4)]) == nil)
        #expect(BtreeBloatEstimate.estimate(rows: 100, actualPages: 0, columns: [.init(nullFraction: 0, averageWidth: 4)]) == nil)
        #expect(BtreeBloatEstimate.estimate(rows: 100, actualPages: 10, columns: []) == nil)
    }

    @Test func fillfactorFromTheDefinition() {
        #expect(BtreeBloatEstimate.fillfactor(
            "CREATE INDEX i ON public.t USING btree (a) WITH (fillfactor='70', deduplicate_items=off)") == 70)
        #expect(BtreeBloatEstimate.fillfactor("CREATE INDEX i ON public.t USING btree (a) WITH (fillfactor=100)") == 100)
        #expect(BtreeBloatEstimate.fillfactor("CREATE INDEX i ON public.t USING btree (a)") == nil)
    }

    @Test func indexLevelEstimateReadsStatisticsAndSkipsWhatItCannotSize() throws {
        let table = Example.table("shop.orders", rows: 100_000, columns: [
            Column(name: "customer_id", position: 1, type: "integer"),
            Column(name: "note", position: 2, type: "text"),
            Column(name: "owner", position: 3, type: "name"),
        ])
        let stats = [
            "customer_id": ColumnStats(schema: "shop", table: "orders", column: "customer_id", averageWidth: 4),
            "owner": ColumnStats(schema: "shop", table: "orders", column: "owner", averageWidth: 64),
        ]
        func estimate(_ index: IndexInfo) -> Result<BtreeBloatEstimate, BtreeBloatEstimate.Unsupported> {
            BtreeBloatEstimate.estimate(for: index, stats: stats, table: table, blockSize: 8192, maxAlign: 8)
        }
        let plain = Example.index("shop.orders_customer_id_idx", on: "shop.orders", columns: ["customer_id"],
                                  rows: 100_000, pages: 1000)
        let e = try estimate(plain).get()
        #expect(e.expectedPages == 1 + 274)  // 100,000 / 366 → 274
        #expect(e.actualPages == 1000)

        let withInclude = IndexExamples.modified(plain) { $0.columns.append(IndexColumn(column: "note", isKey: false)) }
        #expect(estimate(withInclude) == .failure(.noStatistics(column: "note")), "INCLUDE columns are sized too")
        let expression = IndexExamples.modified(plain) { $0.columns = [IndexColumn(column: nil, expression: "abs(customer_id)")] }
        #expect(estimate(expression) == .failure(.expression))
        let gin = IndexExamples.modified(plain) { $0.method = "gin" }
        #expect(estimate(gin) == .failure(.notBtree))
        let locked = IndexExamples.modified(plain) { $0.definition = nil }
        #expect(estimate(locked) == .failure(.unknownDefinition))
        let neverAnalyzed = IndexExamples.modified(plain) { $0.estimatedRows = -1 }
        #expect(estimate(neverAnalyzed) == .failure(.noRows))
        let nameColumn = Example.index("shop.orders_owner_idx", on: "shop.orders", columns: ["owner"], rows: 100_000)
        #expect(estimate(nameColumn) == .failure(.nameColumn(column: "owner")))
        let fillfactor = IndexExamples.modified(plain) { $0.definition! += " WITH (fillfactor='50')" }
        #expect(try estimate(fillfactor).get().fillfactor == 50)
    }
}
