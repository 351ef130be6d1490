import Model

/// Fast statements that, called often, hold a large share of the server's execution time.
public enum TopTimeQueryRule: Rule {
    public static let description = RuleDescription(
        id: "top-time-query",
        title: "Statement holding a large share of execution time",
        category: .queries,
        severity: .info,
        requirements: [.source("pg_stat_statements")],
        summary: "Frequent statements, each call at most 100 ms, that together hold at least 5 % of all execution time; a warning from 33 %.",
        rationale: """
            A statement can be fast on every call and still be where the server spends its time: 2 ms \
            called a million times is over half an hour. Shaving such a statement (a better index, \
            fewer rows, fewer calls) pays off more than anything else. The rule reports top-level \
            statements holding at least `min-share` of the total execution time of all top-level \
            statements (Postgres MCP Pro's 5 %), as info, and as a warning from `warning-share` (33 %, \
            where pg-extras' diagnose fails). It leaves slow statements to slow-query: only statements \
            whose mean is at or below `max-mean` are reported, so with both rules at their defaults \
            (100 ms) a statement is reported by one of them, never both. Statements called fewer than \
            `min-calls` times (PgHero's 100) are not a workload pattern. Shares mean nothing while \
            little has run: until pg_stat_statements has recorded `min-total-time` of execution in \
            all (a fresh server's only statement holds 100 %), the rule is skipped. When each call \
            touches about as many pages as a sequential scan of a table of at least 10,000 rows it \
            names (at least half its pages, from `pg_stat_statements`' shared blocks) and that table \
            is read by sequential scans, the cost is the scan: the finding says so and leads with \
            the index; advice on fewer calls (caching, batching, N+1) is kept for statements cheap per call.
            """,
        manual: "https://www.postgresql.org/docs/current/pgstatstatements.html",
        parameters: [
            RuleParameter("min-share", .ratio(0.05), "Share of total execution time from which a statement is reported."),
            RuleParameter("warning-share", .ratio(0.33), "Share from which the finding is a warning rather than info."),
            RuleParameter("max-mean", .duration(seconds: 0.1), "Only statements whose mean execution time is at or below this are reported; "
                          + "keep it equal to slow-query.mean-time."),
            RuleParameter("min-calls", .count(100), "Statements called fewer times are not judged."),
            RuleParameter("min-total-time", .duration(seconds: 10), "Total execution time recorded by pg_stat_statements below which the rule is skipped."),
        ],
        examples: [
            RuleExample("a 2 ms lookup called 200,000 times and a 0.1 ms one called a million times",
                        .triggers([.statement(queryId: 201), .statement(queryId: 202)]),
                        snapshot: Example.snapshot(statements: [
                Example.statement(201, "SELECT * FROM orders WHERE customer_id = $1", calls: 200_000, meanMs: 2),
                Example.statement(202, "SELECT * FROM products WHERE id = $1", calls: 1_000_000, meanMs: 0.1),
                Example.statement(203, "UPDATE carts SET seen_at = now() WHERE id = $1", calls: 500_000, meanMs: 0.02),
            ])),
            RuleExample("a slow statement dominates: slow-query reports it", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(301, "SELECT * FROM orders WHERE status = $1", calls: 1000, meanMs: 250),
                Example.statement(302, "SELECT * FROM orders WHERE id = $1", calls: 20_000, meanMs: 0.5),
            ])),
            RuleExample("time spread over 25 statements", .passes, snapshot: Example.snapshot(
                statements: (1...25).map { i in
                    Example.statement(Int64(500 + i), "SELECT * FROM t\(i) WHERE id = $1", calls: 100_000, meanMs: 0.5)
                })),
            RuleExample("a fresh server whose only statement holds 100 %", .skipped("less than top-time-query.min-total-time"),
                        snapshot: Example.snapshot(statements: [
                Example.statement(401, "SELECT * FROM items WHERE id = $1", calls: 200, meanMs: 2),
            ])),
            RuleExample("the same fresh server with min-total-time = 0", .triggers([.statement(queryId: 401)]),
                        parameters: ["min-total-time": "0"], snapshot: Example.snapshot(statements: [
                Example.statement(401, "SELECT * FROM items WHERE id = $1", calls: 200, meanMs: 2),
            ])),
            RuleExample.withoutSource("pg_stat_statements", state: .missing, "pg_stat_statements not installed"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let minShare = context.parameters.ratio("min-share")
        let warningShare = context.parameters.ratio("warning-share")
        let maxMean = context.parameters.milliseconds("max-mean")
        let minCalls = context.parameters.count("min-calls")
        let minTotal = context.parameters.milliseconds("min-total-time")
        let total = context.facts.totalExecTime
        guard total > 0, total >= minTotal else {
            throw RuleSkip(
                "pg_stat_statements has recorded only \(Format.duration(ms: total)) of execution time, less than "
                    + "\(description.id).min-total-time = \(ParameterValue.duration(seconds: minTotal / 1000))"
                    + ": shares of so little time mean nothing; judge later or lower the parameter")
        }
        return context.snapshot.statements.compactMap { s in
            guard s.toplevel != false, s.calls >= minCalls, s.meanExecTime <= maxMean else { return nil }
            let share = s.totalExecTime / total
            guard share >= minShare else { return nil }
            let severity: Severity = share >= warningShare ? .warning : .info
            return finding(s, share: share, severity: severity, scan: StatementScan(s, snapshot: context.snapshot),
                           blockSize: context.snapshot.server.blockSize)
        }
    }

    /// A statement whose calls each scan a table leads with the index; one cheap per call, with
    /// the cost per call and the number of calls.
    private static func finding(_ s: StatementStats, share: Double, severity: Severity, scan: StatementScan?, blockSize: Int) -> Finding {
        var message = "\(Format.percent(share)) of all execution time: \(Format.count(s.calls)) calls at "
            + "\(Format.duration(ms: s.meanExecTime)) each, \(Format.duration(ms: s.totalExecTime)) in all; "
        let remediations: [Remediation]
        if let scan {
            message += scan.summary(blockSize: blockSize)
                + ": the cost is the scan, so an index on the columns it filters on pays off on every call."
            remediations = [scan.indexAdvice]
        } else {
            message += "each call is cheap, so the gain is in the cost per call or the number of calls."
            remediations = [
                .manual("EXPLAIN (ANALYZE, BUFFERS) the statement with typical parameters: "
                    + "at this call rate an index that reads fewer pages, or fewer rows per call, pays off on every call"),
                .manual("Check whether the application can call it less often: "
                    + "cache the result, batch lookups, or remove repeated calls (N+1 patterns)"),
            ]
        }
        return Finding(
            rule: description.id, severity: severity, target: .statement(queryId: s.queryId), message: message,
            evidence: StatementEvidence.standard(s, share: share) + (scan?.evidence ?? []),
            remediations: remediations,
            impact: Impact(score: share, summary: "\(Format.percent(share)) of execution time"),
            notes: ["Shares are of the execution time recorded since pg_stat_statements was last reset; statements evicted from it are not counted."])
    }
}
