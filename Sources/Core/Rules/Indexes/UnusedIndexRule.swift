import Model

/// Indexes never scanned since the statistics were reset.
public enum UnusedIndexRule: Rule {
    public static let description = RuleDescription(
        id: "unused-index",
        title: "Unused index",
        category: .indexes,
        severity: .warning,
        requirements: [.source("indexes"), .source("tables"), .statisticsAge(parameter: "min-stats-age")],
        summary: "Indexes with no scan since the statistics were reset, at least `min-stats-age` ago (younger statistics: listed at info to watch); never primary keys, unique or exclusion indexes, or indexes backing a constraint.",
        rationale: """
            Every index is updated on every insert and on non-HOT updates, takes space in shared \
            buffers and on disk, and slows VACUUM; an index nobody reads is pure cost. The scan \
            counter only means something over a long enough window, so the rule is skipped until the \
            statistics are `min-stats-age` old (monthly jobs need a longer window). Indexes that enforce \
            something (primary key, unique, exclusion, constraint) are never reported: dropping them \
            changes behaviour. While the statistics are too young, the indexes it would judge are \
            listed at info as \"not judged yet: watch\", with their size and the writes their table \
            takes, and nothing is dropped. Scans on standbys are not counted on the primary: check replicas before \
            dropping. Tiny indexes (below `min-size`) are not worth the risk.
            """,
        manual: "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ALL-INDEXES-VIEW",
        parameters: [
            RuleParameter("min-stats-age", .duration(seconds: 7 * 86_400), "Statistics must have been counting at least this long."),
            RuleParameter("min-size", .bytes(32_768), "Smaller indexes are not reported."),
        ],
        examples: [
            RuleExample("a plain index never scanned", .triggers([.relation(QualifiedName(schema: "shop", name: "orders_note_idx"))]),
                        snapshot: Example.snapshot(
                tables: [Example.table("shop.orders", rows: 100_000)],
                indexes: [
                    Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0),
                    Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], scans: 0, pages: 400),
                ])),
            RuleExample("a primary key and a unique index with zero scans", .passes, snapshot: Example.snapshot(
                tables: [Example.table("shop.orders", rows: 100_000)],
                indexes: [
                    Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0, pages: 400),
                    Example.index("shop.orders_ref_key", on: "shop.orders", columns: ["ref"], unique: true, scans: 0, pages: 400),
                ])),
            RuleExample("statistics reset yesterday: skipped, the index listed to watch",
                        .watches("statistics cover only", [.relation(QualifiedName(schema: "shop", name: "orders_note_idx"))]),
                        snapshot: Example.snapshot(
                tables: [Example.table("shop.orders", rows: 100_000)],
                indexes: [Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], scans: 0, pages: 400)],
                statsReset: Example.ago(days: 1))),
            RuleExample("statistics reset yesterday, window lowered", .triggers([.relation(QualifiedName(schema: "shop", name: "orders_note_idx"))]),
                        parameters: ["min-stats-age": "12h"], snapshot: Example.snapshot(
                tables: [Example.table("shop.orders", rows: 100_000)],
                indexes: [Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], scans: 0, pages: 400)],
                statsReset: Example.ago(days: 1))),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let window = context.facts.statisticsAge
        return zeroScanIndexes(context).map { candidate in
            let (index, bytes, writes) = (candidate.index, candidate.bytes, candidate.writes)
            var evidence = evidence(candidate, window: window)
            if let definition = index.definition { evidence.append(Evidence("definition", "definition", .text(definition))) }
            return Finding(
                rule: description.id, severity: .warning, target: .relation(index.qualifiedName),
                message: "index \(SQLQuoting.qualified(index.qualifiedName)) on \(SQLQuoting.qualified(index.table)) "
                    + "has not been scanned since \(window.map { $0.basis } ?? "the statistics began") "
                    + "but takes \(Format.bytes(bytes)) and is updated on every write"
                    + (writes.map { " (\(Format.count($0)) writes since then)" } ?? "") + ".",
                evidence: evidence,
                remediations: [.dropIndex(index.qualifiedName, definition: index.definition)],
                impact: Impact(score: candidate.score, summary: "\(Format.bytes(bytes)) of index"),
                notes: ["Scans on standbys are not counted here: check pg_stat_user_indexes on every replica before dropping."])
        }
    }

    /// While the statistics are younger than `min-stats-age` the rule is skipped; the indexes
    /// it would judge are listed at info, with their size and write load, as "not judged yet:
    /// watch", and nothing is dropped.
    public static func watch(_ context: RuleContext) -> [Finding] {
        let window = context.facts.statisticsAge
        let needed = ParameterValue.duration(seconds: context.parameters.seconds("min-stats-age")).description
        let covered = window.map { "in the \(Format.age(seconds: $0.seconds)) the statistics cover" }
            ?? "since the statistics began (their age is unknown)"
        return zeroScanIndexes(context).map { candidate in
            let index = candidate.index
            return Finding(
                rule: description.id, severity: .info, target: .relation(index.qualifiedName),
                message: "index \(SQLQuoting.qualified(index.qualifiedName)) on \(SQLQuoting.qualified(index.table)) "
                    + "has had no scan \(covered), but that is too short to call it unused (min-stats-age = \(needed)): "
                    + "not judged yet, watch it. It takes \(Format.bytes(candidate.bytes))"
                    + (candidate.writes.map { " and the table took \(Format.count($0)) writes meanwhile" } ?? "") + ".",
                evidence: evidence(candidate, window: window) + [Evidence("judgedAfter", "judged once statistics cover", .text(needed))],
                impact: Impact(score: candidate.score, summary: "\(Format.bytes(candidate.bytes)) of index to watch"),
                notes: ["unused-index judges this index once the statistics are \(needed) old; nothing is dropped before. "
                    + "Monthly jobs and reports may still need it."])
        }
    }

    /// An index the rule judges: never scanned, not enforcing anything, at least `min-size`.
    struct Candidate {
        var index: IndexInfo
        var bytes: Int64
        /// Rows written to its table since the reset (inserts, non-HOT updates, deletes).
        var writes: Int64?
        /// Its size as a share of the database.
        var score: Double
    }

    /// The valid, non-enforcing indexes with zero scans and at least `min-size`.
    static func zeroScanIndexes(_ context: RuleContext) -> [Candidate] {
        let minSize = context.parameters.bytes("min-size")
        let databaseBytes = context.snapshot.database?.sizeBytes
        return context.snapshot.indexes.compactMap { index in
            guard index.scans == 0, index.isValid, !index.isPrimary, !index.isUnique, !index.isExclusion,
                  index.constraint == nil else { return nil }
            let bytes = index.size?.bytes ?? index.pages * Int64(context.snapshot.server.blockSize)
            guard bytes >= minSize else { return nil }
            let table = context.facts.table(index.table)
            let writes = table?.activity.map { $0.inserted + $0.updated - $0.hotUpdated + $0.deleted }
            let score = databaseBytes.map { $0 > 0 ? Double(bytes) / Double($0) : 0 } ?? 0
            return Candidate(index: index, bytes: bytes, writes: writes, score: score)
        }
    }

    /// Scans, size, writes to the table and the statistics' age.
    static func evidence(_ candidate: Candidate, window: SnapshotFacts.StatisticsAge?) -> [Evidence] {
        var evidence: [Evidence] = [
            Evidence("scans", "scans", .count(candidate.index.scans)),
            Evidence("sizeBytes", "size", .bytes(candidate.bytes)),
        ]
        if let writes = candidate.writes {
            evidence.append(Evidence("tableWrites", "writes to the table since reset", .count(writes)))
        }
        if let window { evidence.append(Evidence("statisticsAge", "statistics age", .text(Format.age(seconds: window.seconds)))) }
        return evidence
    }
}
