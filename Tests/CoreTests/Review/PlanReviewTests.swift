import Core
import Model
import Testing

/// The plan checks over hand-made plans.
@Suite struct PlanReviewTests {
    static let snapshot = Example.snapshot(tables: [Example.table("public.orders", rows: 1_000_000), Example.table("public.tags", rows: 10)])
    static let thresholds = ReviewThresholds(maxCost: 1000, maxRows: 5000, workMemBytes: 4 << 20, hashMemMultiplier: 2)

    static func checks(_ plan: PlanNode, thresholds: ReviewThresholds = thresholds) -> [String] {
        PlanReview(thresholds: thresholds, snapshot: snapshot).findings(plan, analyzed: false).map(\.check)
    }

    static func scan(_ table: String, rows: Double) -> PlanNode {
        PlanNode(nodeType: "Seq Scan", relation: QualifiedName(schema: "", name: table), totalCost: 10, rows: rows, width: 8)
    }

    @Test func selectiveSeqScanOfALargeTableWarns() {
        #expect(Self.checks(Self.scan("orders", rows: 10)) == ["seq-scan-large-table"])
        #expect(Self.checks(Self.scan("orders", rows: 900_000)) == ["rows-over-budget"])
        #expect(Self.checks(Self.scan("tags", rows: 1)).isEmpty)
    }

    @Test func budgets() {
        let plan = PlanNode(nodeType: "Result", totalCost: 1001, rows: 5001)
        #expect(Self.checks(plan) == ["cost-over-budget", "rows-over-budget"])
        #expect(Self.checks(PlanNode(nodeType: "Result", totalCost: 1000, rows: 5000)).isEmpty)
    }

    @Test func sortOverWorkMemButNotUnderASmallLimit() {
        let sort = PlanNode(nodeType: "Sort", rows: 100_000, width: 100, children: [Self.scan("tags", rows: 100_000)])
        #expect(Self.checks(sort, thresholds: ReviewThresholds(workMemBytes: 4 << 20)) == ["sort-exceeds-work-mem"])
        let limited = PlanNode(nodeType: "Limit", rows: 10, children: [sort])
        #expect(Self.checks(limited, thresholds: ReviewThresholds(workMemBytes: 4 << 20)).isEmpty)
        var spilled = sort
        spilled.sortSpaceType = "Disk"
        spilled.rows = 1
        #expect(Self.checks(spilled, thresholds: ReviewThresholds()) == ["sort-exceeds-work-mem"])
    }

    @Test func hashOverWorkMemTimesMultiplier() {
        let hash = PlanNode(nodeType: "Hash", rows: 60_000, width: 100)
        // 6 MB: over 4 MB work_mem, under 4 MB × 2.
        #expect(Self.checks(hash, thresholds: ReviewThresholds(workMemBytes: 4 << 20, hashMemMultiplier: 2)).isEmpty)
        #expect(Self.checks(hash, thresholds: ReviewThresholds(workMemBytes: 4 << 20, hashMemMultiplier: 1)) == ["hash-exceeds-work-mem"])
    }

    @Test func nestedLoopOverALargeOuterSideWithoutAnIndex() {
        let outer = PlanNode(nodeType: "Function Scan", rows: 50_000)
        let loop = PlanNode(nodeType: "Nested Loop", rows: 1, children: [outer, PlanNode(nodeType: "Materialize", rows: 10)])
        #expect(Self.checks(loop, thresholds: ReviewThresholds()) == ["nested-loop-large"])
        let indexed = PlanNode(nodeType: "Nested Loop", rows: 1, children: [
            outer, PlanNode(nodeType: "Memoize", rows: 1, children: [PlanNode(nodeType: "Index Scan", rows: 1)]),
        ])
        #expect(Self.checks(indexed, thresholds: ReviewThresholds()).isEmpty)
    }
}
