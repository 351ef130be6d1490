import Model

/// Statements whose average execution is slow.
public enum SlowQueryRule: Rule {
    public static let description = RuleDescription(
        id: "slow-query",
        title: "Slow query",
        category: .queries,
        severity: .warning,
        requirements: [.source("pg_stat_statements")],
        summary: "Statements whose mean execution time is above a threshold (100 ms), worse when they also hold a large share of the total execution time.",
        rationale: """
            A statement that is slow on every call makes users wait, and one that is slow and frequent \
            takes the server's time from everything else. Rare statements (fewer calls than `min-calls`) \
            are left out: a nightly report taking seconds is expected. The finding is critical when the \
            statement also holds at least `critical-share` of all execution time. Evidence includes the \
            spread (max, stddev) and rows per call, which tell a plan that is sometimes bad from a query \
            that reads too much every time; with track_io_timing, the block I/O time tells reading from \
            computing. On pg_stat_statements 1.11+ (PostgreSQL 17+) a statement whose own counters \
            started less than an hour ago (stats_since) is said to be young. When each call touches about as many pages as a \
            sequential scan of a large table it names, the finding says the cost is the scan and \
            leads with the index.
            """,
        manual: "https://www.postgresql.org/docs/current/pgstatstatements.html",
        parameters: [
            RuleParameter("mean-time", .duration(seconds: 0.1), "Mean execution time above which a statement is slow."),
            RuleParameter("min-calls", .count(10), "Statements called fewer times are not judged."),
            RuleParameter("critical-share", .ratio(0.2), "Share of total execution time that makes a slow statement critical."),
        ],
        examples: [
            RuleExample("a 250 ms lookup called 1,000 times", .triggers([.statement(queryId: 101)]), snapshot: Example.snapshot(statements: [
                Example.statement(101, "SELECT * FROM orders WHERE status = $1", calls: 1000, meanMs: 250),
                Example.statement(102, "SELECT 1", calls: 100_000, meanMs: 0.05),
            ])),
            RuleExample("fast statements", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(102, "SELECT * FROM orders WHERE id = $1", calls: 100_000, meanMs: 0.3),
            ])),
            RuleExample("a slow statement run only twice", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(103, "VACUUM ANALYZE orders", calls: 2, meanMs: 9000),
            ])),
            RuleExample.withoutSource("pg_stat_statements", state: .missing, "pg_stat_statements not installed"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let threshold = context.parameters.milliseconds("mean-time")
        let minCalls = context.parameters.count("min-calls")
        let criticalShare = context.parameters.ratio("critical-share")
        let total = context.facts.totalExecTime
        return context.snapshot.statements.compactMap { s in
            guard s.toplevel != false, s.calls >= minCalls, s.meanExecTime > threshold else { return nil }
            let share = total > 0 ? s.totalExecTime / total : 0
            let severity: Severity = share >= criticalShare ? .critical : .warning
            var message = "mean execution time \(Format.duration(ms: s.meanExecTime)) over \(Format.count(s.calls)) calls"
                + " (threshold \(Format.duration(ms: threshold)))"
            message += share >= 0.01 ? ", \(Format.percent(share)) of all execution time." : "."
            let scan = StatementScan(s, snapshot: context.snapshot)
            if let scan {
                let text = scan.summary(blockSize: context.snapshot.server.blockSize)
                message += " " + text.prefix(1).uppercased() + text.dropFirst() + ": the cost is the scan, and an index on the columns it filters on removes it."
            }
            if let young = StatementEvidence.youngCounters(s, snapshot: context.snapshot) { message += " " + young }
            let explain = Remediation.manual("EXPLAIN (ANALYZE, BUFFERS) the statement with typical parameters to see where the time goes")
            return Finding(
                rule: description.id, severity: severity, target: .statement(queryId: s.queryId),
                message: message, evidence: StatementEvidence.standard(s, share: share) + (scan?.evidence ?? []),
                remediations: scan.map { [$0.indexAdvice] } ?? [explain],
                impact: Impact(score: share, summary: "\(Format.percent(share)) of execution time"))
        }
    }
}
