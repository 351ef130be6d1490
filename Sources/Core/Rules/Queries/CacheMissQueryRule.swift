import Model

/// Statements that read a large volume of pages from outside shared buffers.
public enum CacheMissQueryRule: Rule {
    public static let description = RuleDescription(
        id: "cache-miss-query",
        title: "Statement reading mostly from disk",
        category: .queries,
        severity: .warning,
        requirements: [.source("pg_stat_statements")],
        summary: "Statements whose shared buffer hit ratio is below 95 % while they read at least 10,000 blocks (78 MB at 8 kB) from outside shared buffers.",
        rationale: """
            A statement that finds its pages in shared buffers costs memory bandwidth; one that has \
            to read them costs I/O, and reads from disk are orders of magnitude slower. The rule \
            reports top-level statements whose hit ratio (shared blocks hit / (hit + read)) is below \
            `max-hit-ratio` and that read at least `min-blocks-read` blocks since the statistics \
            were reset: a ratio alone is noise, since a statement that read 40 blocks once at a 50 % \
            ratio costs nothing. 10,000 blocks is 78 MB at the usual 8 kB block size: less than a \
            second of sequential disk reads in all, below which a cold cache explains the misses. \
            Statements called fewer than `min-calls` times are left out (a one-off report reads \
            what it reads), and so are maintenance and bulk commands (VACUUM, ANALYZE, CREATE INDEX, \
            COPY, ...), which read whole relations through a small ring buffer by design. Reads \
            served by the operating system's page cache count as misses too: with track_io_timing \
            on, the evidence includes the time spent reading, which tells disk from page cache.
            """,
        manual: "https://www.postgresql.org/docs/current/pgstatstatements.html",
        parameters: [
            RuleParameter("max-hit-ratio", .ratio(0.95), "Shared buffer hit ratio below which a statement reads mostly from outside the cache."),
            RuleParameter("min-blocks-read", .count(10_000), "Blocks a statement must have read (since the reset) to be reported."),
            RuleParameter("min-calls", .count(10), "Statements called fewer times are not judged."),
        ],
        examples: [
            RuleExample("a report scanning a table that does not fit in shared buffers",
                        .triggers([.statement(queryId: 601)]), snapshot: Example.snapshot(statements: [
                Example.statement(601, "SELECT count(*) FROM events WHERE kind = $1", calls: 500, meanMs: 80,
                                  hit: 1_000_000, read: 4_000_000),
                Example.statement(602, "SELECT * FROM users WHERE id = $1", calls: 100_000, meanMs: 0.1,
                                  hit: 400_000, read: 50),
            ])),
            RuleExample("a low ratio on a small volume (cold cache)", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(603, "SELECT * FROM settings WHERE key = $1", calls: 50, meanMs: 0.4, hit: 300, read: 900),
            ])),
            RuleExample("a nightly VACUUM and a one-off export read a lot", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(604, "VACUUM (ANALYZE) events", calls: 30, meanMs: 60_000, hit: 100_000, read: 9_000_000),
                Example.statement(605, "SELECT * FROM events WHERE created_at < $1", calls: 1, meanMs: 90_000,
                                  hit: 10_000, read: 3_000_000),
            ])),
            RuleExample.withoutSource("pg_stat_statements", state: .missing, "pg_stat_statements not installed"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let maxHitRatio = context.parameters.ratio("max-hit-ratio")
        let minRead = context.parameters.count("min-blocks-read")
        let minCalls = context.parameters.count("min-calls")
        let total = context.facts.totalExecTime
        let blockSize = Int64(context.snapshot.server.blockSize)
        let ioTiming = context.snapshot.setting("track_io_timing")?.boolValue == true
        return context.snapshot.statements.compactMap { s in
            guard s.toplevel != false, s.calls >= minCalls, s.sharedBlocksRead >= minRead,
                  let hitRatio = s.sharedHitRatio, hitRatio < maxHitRatio, !StatementKeywords.isMaintenance(s.query)
            else { return nil }
            let share = total > 0 ? s.totalExecTime / total : 0
            let bytesRead = s.sharedBlocksRead * blockSize
            var evidence = StatementEvidence.standard(s, share: share)
            evidence += [
                Evidence("sharedBlocksRead", "blocks read", .count(s.sharedBlocksRead)),
                Evidence("sharedBytesRead", "read", .bytes(bytesRead)),
                Evidence("sharedBytesReadPerCall", "read per call", .bytes(bytesRead / max(1, s.calls))),
            ]
            var message = "only \(Format.percent(hitRatio)) of its shared block accesses were cache hits: it read "
                + "\(Format.bytes(bytesRead)) (\(Format.count(s.sharedBlocksRead)) blocks) over \(Format.count(s.calls)) calls"
            var notes: [String] = []
            if ioTiming && s.sharedBlockReadTime > 0 {
                let readShare = s.totalExecTime > 0 ? min(1, s.sharedBlockReadTime / s.totalExecTime) : 0
                evidence.append(Evidence("readTimeMs", "read time", .milliseconds(s.sharedBlockReadTime)))
                evidence.append(Evidence("readTimeShare", "share of its time reading", .ratio(readShare)))
                message += ", \(Format.percent(readShare)) of its execution time spent waiting for reads"
            } else {
                notes.append("Without track_io_timing the read time is unknown: blocks read may have come from the operating system's page cache rather than disk.")
            }
            return Finding(
                rule: description.id, severity: .warning, target: .statement(queryId: s.queryId),
                message: message + ".", evidence: evidence,
                remediations: [
                    .manual("EXPLAIN (ANALYZE, BUFFERS) the statement with typical parameters: "
                        + "a sequential scan or an unselective index reads pages that a better index would skip"),
                    .manual("If the pages it reads are the hot working set, "
                        + "compare shared_buffers with the server's RAM (about 25 % of RAM on a dedicated server)"),
                ],
                impact: Impact(score: share, summary: "\(Format.bytes(bytesRead)) read, \(Format.percent(share)) of execution time"),
                notes: notes)
        }
    }
}
