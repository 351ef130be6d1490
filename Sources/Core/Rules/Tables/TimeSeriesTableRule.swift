import Model
import Planner

/// Large, mostly-appended tables kept in time order: a BRIN index instead of a large btree, and
/// range partitioning by time instead of DELETE for retention.
public enum TimeSeriesTableRule: Rule {
    public static let description = RuleDescription(
        id: "time-series-table",
        title: "Time-series table without BRIN or partitioning",
        category: .tables,
        severity: .info,
        requirements: [.source("tables"), .source("column_stats"), .source("pg_stat_statements")],
        summary: "Tables of at least `min-table-size` that mostly receive INSERTs, with a timestamp (or serial) column whose pg_stats correlation is at least `min-correlation` in absolute value and which statements read by range conditions: a BRIN index when a btree on the column would be `min-size-ratio` times its size or more, and range partitioning by time when old rows are removed by DELETE.",
        rationale: """
            A table that only grows, with rows arriving in time order, stores its time column in \
            physical order (pg_stats.correlation near ±1). A BRIN index keeps one minimum and maximum \
            per `pages_per_range` heap pages: on such a column it answers range conditions \
            (`created_at >= now() - interval '1 day'`) from kilobytes where a btree takes tens of \
            megabytes per few million rows, and costs almost nothing on INSERT. The rule reads the \
            statements of pg_stat_statements with libpg_query (as the index advisor does) and judges \
            a column only when a statement has a range condition on it. BRIN is advised when no btree \
            serves the column (it avoids one) or when the only btree on it is a plain one-column \
            index (it replaces it, a manual step after EXPLAIN agrees); it is not advised when a \
            statement reads the column in ORDER BY with LIMIT (only a btree returns the latest rows \
            first), or when a unique, constraint or multi-column btree on it must stay anyway. The \
            BRIN size follows brin_tuple.h and brin_page.h, the btree's is measured or estimated at \
            20 bytes per row (deduplication makes it smaller on repeated values). `pages_per_range` \
            is the largest power of two from 8 up to `max-pages-per-range` that is at most a quarter \
            of the pages the range statements touch per call (their median of shared blocks): every \
            matching range is read in full, so the partly matching ranges at both ends add at most \
            half. Updates or deletes widen the ranges and lower the correlation, so tables whose \
            updates exceed `max-update-share` of their inserts are left alone. When such a table \
            reaches `partition-min-size` and its deletes reach `min-delete-share` of its inserts \
            (retention by DELETE: every deleted row is written to WAL, vacuumed from the heap and \
            every index, and its space reused out of order), range partitioning by time is advised: \
            dropping or detaching a partition replaces the DELETE and its VACUUM. That change is a \
            migration, given as an outline, never as an automatic step. The defaults follow the \
            manual's BRIN and partitioning chapters and the usual 0.9 correlation for a strong BRIN \
            candidate; about 100 MB (a few million rows) is where the btree reaches tens of MB.
            """,
        manual: "https://www.postgresql.org/docs/current/brin.html",
        parameters: [
            RuleParameter("min-table-size", .bytes(100 << 20), "Tables with at least this much heap are judged for BRIN."),
            RuleParameter("min-correlation", .ratio(0.9), "The smallest |pg_stats.correlation| of the time column."),
            RuleParameter("max-update-share", .ratio(0.1), "Updates above this share of inserts: not an append-mostly table."),
            RuleParameter("min-size-ratio", .number(10), "BRIN is advised when the btree would be at least this many times its size."),
            RuleParameter("max-pages-per-range", .count(128), "The largest pages_per_range advised (PostgreSQL's default)."),
            RuleParameter("partition-min-size", .bytes(100 << 20), "Tables with at least this much heap are judged for partitioning."),
            RuleParameter("min-delete-share", .ratio(0.1), "Deletes at this share of inserts mean retention by DELETE."),
        ],
        examples: TimeSeriesExamples.all
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let p = context.parameters
        let candidates = TimeSeriesCandidate.find(
            context, minBytes: min(p.bytes("min-table-size"), p.bytes("partition-min-size")),
            minCorrelation: p.ratio("min-correlation"), maxUpdateShare: p.ratio("max-update-share"))
        return candidates.flatMap { candidate in
            [brinFinding(candidate, context), partitioningFinding(candidate, context)].compactMap { $0 }
        }
    }

    // MARK: BRIN

    /// A BRIN index on the column, when no other index must serve it and a btree would be many
    /// times its size.
    static func brinFinding(_ candidate: TimeSeriesCandidate, _ context: RuleContext) -> Finding? {
        let p = context.parameters
        let column = candidate.column.name
        let indexes = context.facts.indexes(on: candidate.table.qualifiedName)
            .filter { $0.isValid && $0.keyColumns.first?.column == column }
        guard candidate.tableBytes >= p.bytes("min-table-size"), !candidate.sortedWithLimit,
              !indexes.contains(where: { $0.method == "brin" }) else { return nil }
        let btrees = indexes.filter { $0.method == "btree" }
        guard btrees.allSatisfy(isReplaceable), btrees.count <= 1 else { return nil }
        let estimate = estimate(candidate, btree: btrees.first, context)
        guard estimate.ratio >= p.number("min-size-ratio") else { return nil }
        return brinAdvice(candidate, estimate: estimate, replacing: btrees.first, context)
    }

    /// A plain one-column btree with no constraint behind it: BRIN can take its place.
    static func isReplaceable(_ index: IndexInfo) -> Bool {
        index.keyColumns.count == 1 && !index.isUnique && index.constraint == nil && index.predicate == nil
    }

    static func estimate(_ candidate: TimeSeriesCandidate, btree: IndexInfo?, _ context: RuleContext) -> BrinSizeEstimate {
        let blockSize = Int64(context.snapshot.server.blockSize)
        let heapPages = max(candidate.table.pages, candidate.tableBytes / blockSize, 1)
        let rows = max(candidate.table.estimatedRows, Double(candidate.table.activity?.liveTuples ?? 0), 0)
        let pagesPerRange = BrinSizeEstimate.pagesPerRange(
            pagesPerCall: candidate.typicalPagesPerCall, maximum: Int(context.parameters.count("max-pages-per-range")))
        let brinPages = BrinSizeEstimate.brinPages(
            heapPages: heapPages, pagesPerRange: pagesPerRange, keyBytes: candidate.keyBytes)
        let btreeBytes = btree.map { IndexFacts.bytes($0, blockSize: Int(blockSize)) }
            ?? BrinSizeEstimate.btreePages(rows: rows) * blockSize
        return BrinSizeEstimate(
            pagesPerRange: pagesPerRange, brinBytes: brinPages * blockSize, btreeBytes: btreeBytes,
            btreeMeasured: btree != nil)
    }

    static func brinAdvice(
        _ candidate: TimeSeriesCandidate, estimate: BrinSizeEstimate, replacing btree: IndexInfo?, _ context: RuleContext
    ) -> Finding {
        let table = candidate.table.qualifiedName
        let column = candidate.column.name
        let spec = IndexSpec(
            table: table, name: "\(table.name)_\(column)_brin_idx", columns: [column], method: "brin",
            storageParameters: [StorageParameter("pages_per_range", String(estimate.pagesPerRange))])
        let target = "\(SQLQuoting.qualified(table)).\(SQLQuoting.identifier(column))"
        let sizes = "a BRIN index of about \(Format.bytes(estimate.brinBytes)) (pages_per_range = \(estimate.pagesPerRange))"
        let message = btree.map {
            "\(target) is stored in time order and read by range conditions: \(sizes) can replace the btree "
                + "\(SQLQuoting.qualified($0.qualifiedName)) of \(Format.bytes(estimate.btreeBytes)), "
                + "\(Int(estimate.ratio)) times its size."
        } ?? "\(target) is stored in time order and read by range conditions without an index: \(sizes) serves them "
            + "where a btree would take about \(Format.bytes(estimate.btreeBytes)), \(Int(estimate.ratio)) times as much."
        var remediations: [Remediation] = [.createIndex(spec)]
        if let btree {
            remediations.append(.manual("Once EXPLAIN shows the range statements using the BRIN index (a Bitmap Index "
                + "Scan on \(SQLQuoting.identifier(spec.name ?? ""))), drop the btree: DROP INDEX CONCURRENTLY "
                + "\(SQLQuoting.qualified(btree.qualifiedName));"))
        }
        return Finding(
            rule: description.id, severity: .info, target: .column(table, column), message: message,
            evidence: brinEvidence(candidate, estimate: estimate, btree: btree), remediations: remediations,
            impact: Impact(
                score: IndexFacts.shareOfDatabase(estimate.btreeBytes - estimate.brinBytes, context.snapshot),
                summary: "\(Format.bytes(estimate.btreeBytes)) of btree against \(Format.bytes(estimate.brinBytes)) of BRIN"),
            notes: brinNotes)
    }

    static func brinEvidence(_ candidate: TimeSeriesCandidate, estimate: BrinSizeEstimate, btree: IndexInfo?) -> [Evidence] {
        var evidence = commonEvidence(candidate)
        evidence += [
            Evidence("pagesPerRange", "pages_per_range chosen", .count(Int64(estimate.pagesPerRange))),
            Evidence("estimatedSizeBytes", "BRIN size (estimated)", .bytes(estimate.brinBytes)),
            Evidence("btreeSizeBytes", estimate.btreeMeasured ? "btree size" : "btree size (estimated)", .bytes(estimate.btreeBytes)),
            Evidence("sizeRatio", "btree / BRIN", .number((estimate.ratio * 10).rounded() / 10)),
            Evidence("pagesPerCall", "pages per call of the range statements (median)", .number(candidate.typicalPagesPerCall.rounded())),
        ]
        if let btree { evidence.append(Evidence("btree", "btree it replaces", .text(SQLQuoting.qualified(btree.qualifiedName)))) }
        return evidence
    }

    static let brinNotes = [
        "BRIN returns no order: a statement that needs the latest rows first (ORDER BY ... DESC LIMIT n) needs a btree.",
        "New ranges are summarized by VACUUM; WITH (autosummarize = on) summarizes them as they fill, so recent rows are not read in full.",
        "Updates and deletes that move rows out of time order widen the ranges; VACUUM never narrows them.",
    ]

    static func commonEvidence(_ candidate: TimeSeriesCandidate) -> [Evidence] {
        let activity = candidate.table.activity
        return [
            Evidence("column", "time column", .text("\(candidate.column.name) (\(candidate.column.type))")),
            Evidence("correlation", "pg_stats.correlation", .number((candidate.correlation * 1000).rounded() / 1000)),
            Evidence("tableBytes", "table size", .bytes(candidate.tableBytes)),
            Evidence("inserted", "rows inserted", .count(activity?.inserted ?? 0)),
            Evidence("updated", "rows updated", .count(activity?.updated ?? 0)),
            Evidence("queryIds", "statements with a range condition on it",
                     .list(candidate.rangeStatements.compactMap { $0.queryId.map(String.init) })),
        ]
    }
}
