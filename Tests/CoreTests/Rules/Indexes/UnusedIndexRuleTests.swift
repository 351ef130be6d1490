@testable import Core
import Model
import Testing

/// unused-index beyond its examples: with young statistics it stays skipped and lists the
/// zero-scan indexes to watch.
@Suite struct UnusedIndexRuleTests {
    static let orders = QualifiedName(schema: "shop", name: "orders")

    /// An 11 MB index with no scan, a primary key with none either, on a table taking writes.
    static func snapshot(statsAgeSeconds: Double) -> Snapshot {
        var note = Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], scans: 0, pages: 1400)
        note.size = RelationSize(bytes: 11 << 20)
        return Example.snapshot(
            tables: [Example.table("shop.orders", rows: 100_000, activity: TableActivity(
                inserted: 9_000, updated: 4_000, hotUpdated: 1_000, liveTuples: 100_000))],
            indexes: [
                Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0, pages: 300),
                note,
            ],
            statsReset: Example.ago(seconds: statsAgeSeconds))
    }

    @Test func youngStatisticsListZeroScanIndexesToWatchAtInfo() throws {
        let result = Auditor(rules: [UnusedIndexRule.self]).run(Self.snapshot(statsAgeSeconds: 600))
        let skip = try #require(result.skipped.first)
        #expect(skip.rule == "unused-index" && skip.reason.contains("statistics cover only"))
        #expect(skip.reason.contains("1 listed at info to watch"), "\(skip.reason)")
        #expect(result.evaluated.isEmpty)
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.target == .relation(QualifiedName(schema: "shop", name: "orders_note_idx")))
        #expect(finding.severity == .info)
        #expect(finding.remediations.isEmpty, "nothing is dropped before the rule judges")
        #expect(finding.message.contains("not judged yet, watch it"), "\(finding.message)")
        #expect(finding.message.contains("11 MB") && finding.message.contains("12,000 writes"), "\(finding.message)")
        #expect(finding.evidence("sizeBytes") == .bytes(11 << 20))
        #expect(finding.evidence("tableWrites") == .count(12_000))
    }

    @Test func oldStatisticsJudgeInsteadOfWatching() throws {
        let result = Auditor(rules: [UnusedIndexRule.self]).run(Self.snapshot(statsAgeSeconds: 30 * 86_400))
        #expect(result.skipped.isEmpty)
        #expect(result.findings.map(\.severity) == [.warning])
    }

    /// Only a young window stands in for judging: a missing source still skips without a list.
    @Test func missingSourceListsNothingToWatch() throws {
        var snapshot = Self.snapshot(statsAgeSeconds: 600)
        snapshot = Example.snapshot(tables: snapshot.tables, indexes: snapshot.indexes,
                                    statsReset: Example.ago(seconds: 600), missingSources: ["indexes": .failed])
        let result = Auditor(rules: [UnusedIndexRule.self]).run(snapshot)
        #expect(result.findings.isEmpty)
        #expect(result.skipped.first?.reason.contains("indexes was not collected") == true, "\(result.skipped)")
    }
}
