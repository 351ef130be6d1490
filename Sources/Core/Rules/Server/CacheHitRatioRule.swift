import Model

/// The database's shared buffer hit ratio, when enough blocks were requested to judge it.
public enum CacheHitRatioRule: Rule {
    public static let description = RuleDescription(
        id: "cache-hit-ratio",
        title: "Low buffer cache hit ratio",
        category: .server,
        severity: .warning,
        requirements: [.source("database")],
        summary: "The database found fewer than 95 % of the blocks it requested in shared buffers (critical below 90 %), over at least 1,000,000 block requests.",
        rationale: """
            A block not found in shared buffers is read from the operating system: from its page \
            cache at best, from disk at worst. A healthy OLTP database finds about 99 % of its blocks \
            in shared buffers, and the rule does not flag that: it warns below `min-hit-ratio` (95 %, \
            Postgres MCP Pro's threshold; PgHero and pg-extras want 99 % and 98.5 %, which flags \
            databases whose misses are served by the page cache at little cost) and is critical below \
            `critical-hit-ratio`. The ratio is cumulative since the statistics were reset, so it is \
            judged only after `min-blocks` block requests (hits + reads): a database just created, \
            restored or reset reads its catalog and tables once and shows a low ratio that means \
            nothing. Page cache hits count as reads here; the finding says so, and with \
            track_io_timing on the evidence includes the time spent reading. On PostgreSQL 16+ \
            pg_stat_io separates the queries' own reads from bulk reads (large sequential scans \
            read through a small ring of buffers that no shared_buffers size keeps): when most \
            reads are bulk reads, the finding says indexes, not memory, are the remedy.
            """,
        manual: "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-DATABASE-VIEW",
        parameters: [
            RuleParameter("min-hit-ratio", .ratio(0.95), "Hit ratio below which the finding is a warning."),
            RuleParameter("critical-hit-ratio", .ratio(0.90), "Hit ratio below which the finding is critical."),
            RuleParameter("min-blocks", .count(1_000_000), "Block requests (hits + reads) since the reset needed to judge the ratio."),
        ],
        examples: [
            RuleExample("92 % of 10 million block requests served from shared buffers", .triggers([.database("app")]),
                        snapshot: Example.snapshot(database: Example.database(blocksHit: 9_200_000, blocksRead: 800_000))),
            RuleExample("80 %: critical", .triggers([.database("app")]),
                        snapshot: Example.snapshot(database: Example.database(blocksHit: 8_000_000, blocksRead: 2_000_000))),
            RuleExample("a healthy 99.6 %", .passes, snapshot: Example.snapshot()),
            RuleExample("a database just created: 3,000 reads among 23,000 requests", .passes,
                        snapshot: Example.snapshot(database: Example.database(blocksHit: 20_000, blocksRead: 3_000))),
            RuleExample.withoutSource("database", state: .denied, "pg_stat_database not read"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        guard let db = context.snapshot.database else {
            throw RuleSkip("pg_stat_database has no row for database \(context.snapshot.server.database)")
        }
        let warningRatio = context.parameters.ratio("min-hit-ratio")
        let criticalRatio = context.parameters.ratio("critical-hit-ratio")
        let minBlocks = context.parameters.count("min-blocks")
        let requests = db.blocksHit + db.blocksRead
        guard requests >= minBlocks, let ratio = db.hitRatio, ratio < warningRatio else { return [] }
        let blockSize = Int64(context.snapshot.server.blockSize)
        let sharedBuffers = context.snapshot.setting("shared_buffers")?.bytes
        let database = SQLQuoting.identifier(db.name)

        var evidence: [Evidence] = [
            Evidence("hitRatio", "hit ratio", .ratio(ratio)),
            Evidence("blocksHit", "blocks hit", .count(db.blocksHit)),
            Evidence("blocksRead", "blocks read", .count(db.blocksRead)),
            Evidence("bytesRead", "read", .bytes(db.blocksRead * blockSize)),
        ]
        if let sharedBuffers { evidence.append(Evidence("sharedBuffersBytes", "shared_buffers", .bytes(sharedBuffers))) }
        if let size = db.sizeBytes { evidence.append(Evidence("databaseSizeBytes", "database size", .bytes(size))) }
        if db.blockReadTime > 0 { evidence.append(Evidence("readTimeMs", "read time", .milliseconds(db.blockReadTime))) }
        if let age = context.facts.statisticsAge {
            evidence.append(Evidence("statisticsAge", "statistics age", .text(Format.age(seconds: age.seconds))))
        }
        let io = ioContexts(context.snapshot.io)
        evidence += io.evidence

        var notes = ["Blocks found in the operating system's page cache count as reads here: "
                     + "a low ratio costs little when the page cache holds the data. track_io_timing (blk_read_time) tells."]
        if let size = db.sizeBytes, db.blocksRead * blockSize <= size {
            notes.append("The blocks read add up to less than the database's size (\(Format.bytes(size))): "
                + "part of the misses may be the first read of each block after a restart or a bulk load.")
        }
        if let note = io.note { notes.append(note) }
        let severity: Severity = ratio < criticalRatio ? .critical : .warning
        let threshold = severity == .critical ? criticalRatio : warningRatio
        return [Finding(
            rule: description.id, severity: severity, target: .database(db.name),
            message: "database \(database) found \(Format.percent(ratio)) of the blocks it requested in shared buffers "
                + "(below \(Format.percent(threshold, digits: 0))): \(Format.count(db.blocksRead)) of "
                + "\(Format.count(requests)) block requests were reads.",
            evidence: evidence,
            remediations: [
                .manual("Find the statements that read the most (cache-miss-query findings, shared_blks_read in pg_stat_statements): "
                    + "an index that avoids a large scan helps more than memory"),
                .manual("Size shared_buffers to about 25 % of RAM on a dedicated server"
                    + (sharedBuffers.map { " (it is \(Format.bytes($0)) now)" } ?? "") + "; the change needs a restart"),
            ],
            impact: Impact(score: 1 - ratio, summary: "\(Format.percent(1 - ratio)) of block requests missed shared buffers"),
            notes: notes)]
    }

    /// pg_stat_io (16+) by context, server-wide: the hit ratio of queries' own buffer reads
    /// (context normal) apart from bulk reads, which large sequential scans do through a small
    /// ring of buffers and which shared_buffers cannot hold whatever its size.
    static func ioContexts(_ io: [IOStats]?) -> (evidence: [Evidence], note: String?) {
        let rows = (io ?? []).filter { $0.object == "relation" && BackendWritesRule.backendTypes.contains($0.backendType) }
        func sum(_ context: String, _ value: (IOStats) -> Int64?) -> Int64 {
            rows.filter { $0.context == context }.reduce(0) { $0 + (value($1) ?? 0) }
        }
        let (normalHits, normalReads) = (sum("normal", \.hits), sum("normal", \.reads))
        let bulkReads = sum("bulkread", \.reads)
        guard normalHits + normalReads + bulkReads > 0 else { return ([], nil) }
        var evidence: [Evidence] = []
        if normalHits + normalReads > 0 {
            evidence.append(Evidence("normalHitRatio", "hit ratio outside bulk reads (pg_stat_io)",
                                     .ratio(Double(normalHits) / Double(normalHits + normalReads))))
        }
        let bulkShare = Double(bulkReads) / Double(max(1, normalReads + bulkReads))
        evidence.append(Evidence("bulkReadShare", "share of reads by bulk (ring buffer) scans", .ratio(bulkShare)))
        let note = bulkShare > 0.5
            ? "Most reads (\(Format.percent(bulkShare))) were bulk reads: sequential scans of tables larger than a quarter "
                + "of shared_buffers read through a small ring of buffers, so more shared_buffers would not keep them; "
                + "indexes that avoid the scans would."
            : nil
        return (evidence, note)
    }
}
