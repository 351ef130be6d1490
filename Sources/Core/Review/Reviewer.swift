import Model
import Planner
import QueryParser

/// Reviews the statements of one file, in order: syntax, migration checks, and with a planner
/// the plan checks. Pure apart from the `explain` closure the caller gives (nil offline).
public struct Reviewer {
    /// What planning one query gave.
    public enum PlanOutcome {
        case planned(PlanNode, analyzed: Bool, notes: [String])
        /// The server's error (`column "x" does not exist`) and its SQLSTATE.
        case failed(String, sqlState: String?)
    }

    /// SQLSTATEs of a table or column the target does not have (`undefined_table`,
    /// `undefined_column`): a migration of the same release may be what adds it.
    static let undefinedObject: Set<String> = ["42P01", "42703"]

    public let thresholds: ReviewThresholds
    public let catalog: MigrationReview.Catalog
    /// true when the reviewed files hold DDL: a query on a table or column the target lacks
    /// may then depend on the release's own migrations, and is a warning rather than a failure.
    public let releaseChangesSchema: Bool

    public init(thresholds: ReviewThresholds, catalog: MigrationReview.Catalog, releaseChangesSchema: Bool = false) {
        self.thresholds = thresholds
        self.catalog = catalog
        self.releaseChangesSchema = releaseChangesSchema
    }

    /// true when one of `statements` is DDL.
    public static func changesSchema(_ statements: [SourceStatement]) -> Bool {
        statements.contains { statement in
            if case .success(.schemaChange) = statement.parsed { return true }
            return false
        }
    }

    /// The reviews of `statements` (one file's, in file order). `explain` plans a query:
    /// the statement and whether it only reads; its errors end the review (a lost connection).
    public func review(
        _ statements: [SourceStatement], explain: ((SourceStatement, Bool) throws -> PlanOutcome)?
    ) throws -> [StatementReview] {
        var migrations = MigrationReview(catalog: catalog, thresholds: thresholds)
        let plans = catalog.snapshot.map { PlanReview(thresholds: thresholds, snapshot: $0) }
        return try statements.map { statement in
            var review = StatementReview(file: statement.file, line: statement.line, column: statement.column,
                                         text: statement.text, kind: .other)
            switch statement.parsed {
            case .failure(let error):
                review.findings.append(ReviewFinding(
                    check: .syntaxError, message: error.message.replacingOccurrences(of: "\n", with: "\\n"), fix: "fix the SQL: PostgreSQL will reject it",
                    line: statement.errorLine, column: statement.errorColumn))
            case .success(.query(let readOnly)):
                review.kind = .query
                if let explain, let plans {
                    plan(&review, try explain(statement, readOnly), plans)
                } else {
                    review.notes.append("not planned: offline, only its syntax was checked")
                }
            case .success(.schemaChange(let change)):
                review.kind = .migration
                review.findings += migrations.review(change)
            case .success(.lockTimeout(let enabled)):
                review.kind = .setting
                migrations.setLockTimeout(enabled)
            case .success(.other):
                break
            }
            return review
        }
    }

    private func plan(_ review: inout StatementReview, _ outcome: PlanOutcome, _ plans: PlanReview) {
        switch outcome {
        case .planned(let node, let analyzed, let notes):
            review.plan = node
            review.analyzed = analyzed
            review.notes += notes
            review.findings += plans.findings(node, analyzed: analyzed)
        case .failed(let message, let sqlState):
            if releaseChangesSchema, let sqlState, Self.undefinedObject.contains(sqlState) {
                review.findings.append(ReviewFinding(
                    check: .explainError, verdict: .warning,
                    message: message + " (the release's migrations may add it: the target does not have them yet)",
                    fix: "apply the release's migrations to the target database, then review again to plan this statement"))
            } else {
                review.findings.append(ReviewFinding(
                    check: .explainError, message: message, fix: "make the statement match the schema of the target database"))
            }
        }
    }

    /// Adds a `missing-index` finding to each statement the verified advice recommends an index
    /// for; `label(review)` is the label the statement had in the advisor's workload.
    public static func addIndexAdvice(_ advice: IndexAdvice, to reviews: inout [StatementReview], label: (StatementReview) -> String) {
        guard advice.verified else { return }
        for recommendation in advice.recommendations {
            let sql = RemediationSQL.sql(.createIndex(recommendation.spec))
            for benefit in recommendation.statements {
                guard let i = reviews.firstIndex(where: { label($0) == benefit.label }) else { continue }
                reviews[i].findings.append(ReviewFinding(
                    check: .missingIndex,
                    message: "an index on \(recommendation.spec.display) cuts the estimated cost from \(Format.decimal(benefit.costBefore)) to \(Format.decimal(benefit.costAfter)) (−\(Format.percent(benefit.improvement))), verified with hypopg",
                    fix: sql))
            }
        }
    }
}
