import Core
import Model
import Planner
import Testing

@Suite struct TimeSeriesTableRuleTests {
    static func example(_ prefix: String) throws -> RuleExample {
        try #require(TimeSeriesTableRule.description.examples.first { $0.name.hasPrefix(prefix) })
    }

    /// The BRIN advice names both sizes and the pages_per_range it chose, renders it in the
    /// CREATE INDEX, and leaves the drop of the btree it replaces to the DBA.
    @Test func brinReplacesTheBtreeWithBothSizesAndPagesPerRange() throws {
        let findings = try QueryServerRuleRun.findings(TimeSeriesTableRule.self, Self.example("app.events: 150 MB").snapshot)
        let brin = try #require(findings.first)
        #expect(findings.count == 1)
        // 300 pages per range read: the largest power of two at most a quarter of it.
        #expect(brin.evidence("pagesPerRange") == .count(64))
        #expect(brin.evidence("btreeSizeBytes") == .bytes(7700 * 8192))
        guard case .bytes(let brinBytes)? = brin.evidence("estimatedSizeBytes") else { Issue.record("no BRIN size"); return }
        #expect(brinBytes < 100 * 1024)
        #expect(RemediationSQL.sql(brin.remediations[0]) == "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_created_at_brin_idx "
            + "ON app.events USING brin (created_at) WITH (pages_per_range = 64);")
        guard case .manual(let drop) = brin.remediations[1] else { Issue.record("\(brin.remediations)"); return }
        #expect(drop.contains("DROP INDEX CONCURRENTLY app.events_created_at_idx"))
        #expect(brin.message.contains("60 MB") && brin.message.contains("pages_per_range = 64"), "\(brin.message)")
    }

    /// One query id run by two roles is two entries of pg_stat_statements, each read with its
    /// own figures: the median pages per call of 300 and 1,200 is 1,200, which takes
    /// pages_per_range to its maximum of 128 (the first entry read twice kept it at 64).
    @Test func aQueryIdOfTwoRolesCountsEachEntrysOwnFigures() throws {
        var other = Example.statement(701, "SELECT count(*) FROM app.events WHERE created_at >= $1 AND created_at < $2",
                                      calls: 5000, meanMs: 40, rows: 5000, hit: 5000 * 1200)
        other.userName = "reports"
        var snapshot = try Self.example("app.events: 150 MB").snapshot
        snapshot.statements.append(other)
        let findings = try QueryServerRuleRun.findings(TimeSeriesTableRule.self, snapshot)
        let brin = try #require(findings.first)
        #expect(brin.evidence("pagesPerRange") == .count(128))
    }

    /// Retention by DELETE on a range of the time column: a migration outline, manual steps only.
    @Test func partitioningIsAnOutlineNamingTheRetentionDelete() throws {
        let findings = try QueryServerRuleRun.findings(TimeSeriesTableRule.self, Self.example("app.metrics").snapshot)
        let partitioning = try #require(findings.first { $0.target == .relation(QualifiedName(schema: "app", name: "metrics")) })
        #expect(partitioning.evidence("deleteQueryIds") == .list(["712"]))
        #expect(partitioning.evidence("deleted") == .count(1_200_000))
        #expect(!partitioning.remediations.isEmpty)
        #expect(partitioning.remediations.allSatisfy { $0.kind == "manual" })
        #expect(partitioning.message.contains("query 712"), "\(partitioning.message)")
        let brin = try #require(findings.first { $0.target == .column(QualifiedName(schema: "app", name: "metrics"), "recorded_at") })
        #expect(brin.evidence("pagesPerRange") == .count(128))
        guard case .bytes(let btreeBytes)? = brin.evidence("btreeSizeBytes") else { Issue.record("no btree size"); return }
        #expect(btreeBytes > 50 << 20)
    }

    @Test func brinSizeFollowsTheReferenceFormula() {
        // 100 GiB heap, timestamp key, ppr 128: 1 + 76 + 352 = 429 pages (the reference's table).
        #expect(TimeSeriesTableRuleTests.brinPages(heapPages: 13_107_200, ppr: 128, keyBytes: 8) == 429)
        #expect(TimeSeriesTableRuleTests.brinPages(heapPages: 13_107_200, ppr: 128, keyBytes: 4) == 328)
    }

    static func brinPages(heapPages: Int64, ppr: Int, keyBytes: Int) -> Int64 {
        BrinSizeEstimate.brinPages(heapPages: heapPages, pagesPerRange: ppr, keyBytes: keyBytes)
    }
}
