/// One check of the pre-release review, described like a rule: a stable id (never reused),
/// the verdict it gives when it fires, and what it looks for.
public struct ReviewCheck: Equatable, Sendable {
    public enum Group: String, Sendable {
        case statement, plan, migration
    }

    public let id: String
    public let group: Group
    /// The verdict when it fires (migration checks give `warning` instead of `fail` when the
    /// table's size is unknown, with `--offline`).
    public let verdict: ReviewVerdict
    public let summary: String

    public static let syntaxError = ReviewCheck(
        id: "syntax-error", group: .statement, verdict: .fail,
        summary: "PostgreSQL's parser rejects the statement (file, line and column of the error).")
    public static let explainError = ReviewCheck(
        id: "explain-error", group: .statement, verdict: .fail,
        summary: "The target database cannot plan the statement (unknown table or column, type error, timeout); a warning when the table or column is unknown and the release's files hold DDL that may add it.")
    public static let seqScanLargeTable = ReviewCheck(
        id: "seq-scan-large-table", group: .plan, verdict: .warning,
        summary: "The plan reads a large table in full (Seq Scan) to keep at most 10 % of its rows; large is --large-table-rows or --large-table-size.")
    public static let costOverBudget = ReviewCheck(
        id: "cost-over-budget", group: .plan, verdict: .fail,
        summary: "The plan's estimated total cost is over --max-cost.")
    public static let rowsOverBudget = ReviewCheck(
        id: "rows-over-budget", group: .plan, verdict: .fail,
        summary: "The statement is estimated to return (or change) more rows than --max-rows.")
    public static let sortOverWorkMem = ReviewCheck(
        id: "sort-exceeds-work-mem", group: .plan, verdict: .warning,
        summary: "A sort's estimated rows × width exceed work_mem: it spills to disk (with --analyze: it did).")
    public static let hashOverWorkMem = ReviewCheck(
        id: "hash-exceeds-work-mem", group: .plan, verdict: .warning,
        summary: "A hash table (hash join, hash aggregate) is estimated over work_mem × hash_mem_multiplier: it is split into batches on disk.")
    public static let nestedLoopLarge = ReviewCheck(
        id: "nested-loop-large", group: .plan, verdict: .warning,
        summary: "A nested loop repeats a non-index inner side for at least --nested-loop-rows outer rows.")
    public static let missingIndex = ReviewCheck(
        id: "missing-index", group: .plan, verdict: .warning,
        summary: "The index advisor, verified with hypopg, finds an index that cuts the statement's cost; its CREATE INDEX CONCURRENTLY is shown.")
    public static let createIndexNotConcurrently = ReviewCheck(
        id: "create-index-not-concurrently", group: .migration, verdict: .fail,
        summary: "CREATE INDEX without CONCURRENTLY on a large table blocks its writes (SHARE lock) for the whole build.")
    public static let columnTypeRewrite = ReviewCheck(
        id: "column-type-rewrite", group: .migration, verdict: .fail,
        summary: "ALTER COLUMN ... TYPE rewrites a large table and its indexes under ACCESS EXCLUSIVE (binary-coercible changes such as varchar(n) to a longer varchar or text are exempt).")
    public static let addColumnRewrite = ReviewCheck(
        id: "add-column-rewrite", group: .migration, verdict: .fail,
        summary: "ADD COLUMN with a volatile DEFAULT (random(), clock_timestamp(), gen_random_uuid()), serial, identity or a stored generated column rewrites a large table under ACCESS EXCLUSIVE; a constant default does not (PostgreSQL 11+).")
    public static let constraintNotValid = ReviewCheck(
        id: "constraint-not-valid", group: .migration, verdict: .fail,
        summary: "ADD FOREIGN KEY or ADD CHECK without NOT VALID scans a large table under a lock that blocks writes; add it NOT VALID, then VALIDATE CONSTRAINT in another transaction.")
    public static let setNotNullScan = ReviewCheck(
        id: "set-not-null-scan", group: .migration, verdict: .fail,
        summary: "SET NOT NULL scans a large table under ACCESS EXCLUSIVE unless a validated CHECK (column IS NOT NULL) exists (in the database or earlier in the file).")
    public static let lockTimeoutMissing = ReviewCheck(
        id: "lock-timeout-missing", group: .migration, verdict: .warning,
        summary: "DDL that locks an existing table with no SET lock_timeout earlier in the file: queued behind one long transaction, it blocks every later query on the table.")

    /// Every check, in the order reports list them.
    public static let all: [ReviewCheck] = [
        syntaxError, explainError, seqScanLargeTable, costOverBudget, rowsOverBudget, sortOverWorkMem,
        hashOverWorkMem, nestedLoopLarge, missingIndex, createIndexNotConcurrently, columnTypeRewrite,
        addColumnRewrite, constraintNotValid, setNotNullScan, lockTimeoutMissing,
    ]
}
