import Core
import Model
import Testing

/// The reviewer's verdicts for what planning gives back.
@Suite struct ReviewerTests {
    static let catalog = MigrationReview.Catalog(snapshot: Example.snapshot(tables: [Example.table("public.orders")]))

    static func verdicts(_ text: String, sqlState: String, withDDL: Bool) throws -> [ReviewVerdict] {
        let statements = SourceStatement.read(text, file: "q.sql")
        let reviewer = Reviewer(thresholds: ReviewThresholds(), catalog: catalog,
                                releaseChangesSchema: withDDL && Reviewer.changesSchema(statements))
        return try reviewer.review(statements) { _, _ in .failed("column \"flag\" does not exist", sqlState: sqlState) }
            .filter { $0.kind == .query }.map(\.verdict)
    }

    @Test func unknownColumnIsAWarningWhenTheReleaseChangesTheSchema() throws {
        let text = "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN flag boolean;\nSELECT flag FROM orders;"
        #expect(try Self.verdicts(text, sqlState: "42703", withDDL: true) == [.warning])
        #expect(try Self.verdicts(text, sqlState: "42703", withDDL: false) == [.fail])
        #expect(try Self.verdicts(text, sqlState: "42804", withDDL: true) == [.fail])
        #expect(try Self.verdicts("SELECT flag FROM orders;", sqlState: "42703", withDDL: true) == [.fail])
    }

    @Test func reportIsInFileAndLineOrderWithTheWorstVerdict() {
        let report = ReviewReport(target: "offline", offline: true, files: ["b.sql", "a.sql"], statements: [
            StatementReview(file: "b.sql", line: 1, text: "SELECT 1", kind: .query),
            StatementReview(file: "a.sql", line: 9, text: "SELECT 1", kind: .query,
                            findings: [ReviewFinding(check: .lockTimeoutMissing, message: "m")]),
            StatementReview(file: "a.sql", line: 2, text: "SELECT 1", kind: .query),
        ], thresholds: ReviewThresholds())
        #expect(report.statements.map(\.location) == ["a.sql:2", "a.sql:9", "b.sql:1"])
        #expect(report.highestVerdict == .warning)
        #expect(report.count(.pass) == 2)
    }
}
