import Foundation
import Model

/// Large tables read mostly by sequential scans.
public enum SeqScanHeavyTableRule: Rule {
    public static let description = RuleDescription(
        id: "seq-scan-heavy-table",
        title: "Table read mostly by sequential scans",
        category: .indexes,
        severity: .warning,
        requirements: [.source("tables")],
        summary: "Tables of at least `min-rows` rows with at least `min-seq-scans` sequential scans making more than `min-seq-share` of their scans; a warning from `warning-seq-share`, info below.",
        rationale: """
            A sequential scan reads the whole table; on a large table that is read often, it usually \
            means a missing index (or one the planner cannot use), and it pushes hot data out of the \
            cache. Small tables are left out (`min-rows`, PgHero's 10,000): scanning them is right; so are \
            tables created by an extension. \
            A table is judged on its share of sequential scans among all scans (PgHero flags an index \
            share below 95 %, i.e. `min-seq-share` 5 %), but unlike PgHero also when it was never \
            index-scanned, which is the worst case. A handful of sequential scans comes from \
            maintenance rather than queries — CREATE INDEX and ADD CONSTRAINT read the table, \
            pg_dump copies it, someone runs a one-off count — so fewer than `min-seq-scans` \
            (50: more than a daily dump over a month) are not judged; tables that are only written \
            (logs, history) have no sequential scans at all. The finding is a warning when sequential \
            scans are at least `warning-seq-share` of the scans, info when they are a minority. A \
            parallel sequential scan counts once per process, so rows per scan may read lower than \
            the table. The \
            counters do not say which statements scan the table, so instead of proposing an index \
            from counters the finding lists up to three `pg_stat_statements` entries (by total time) \
            whose text names the table, with their text, for the index advisor; INSERTs, EXPLAINs \
            (other tools' calls), maintenance commands and lookups by the table's whole primary key \
            are left out, since none of them scans it. Where a `missing-index` finding indexes the \
            table, the finding points to it (`fixedBy`). Reports and analytics that must read \
            everything are legitimate sequential scans: judge before indexing.
            """,
        manual: "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ALL-TABLES-VIEW",
        parameters: [
            RuleParameter("min-rows", .count(10_000), "Tables with fewer rows are not judged."),
            RuleParameter("min-seq-scans", .count(50), "Tables with fewer sequential scans are not judged."),
            RuleParameter("min-seq-share", .ratio(0.05), "Share of sequential scans among all scans above which a table is reported."),
            RuleParameter("warning-seq-share", .ratio(0.5), "Share of sequential scans from which the finding is a warning rather than info."),
        ],
        examples: [
            RuleExample(
                "orders scanned sequentially by a hot query, customers never index-scanned",
                .triggers([
                    .relation(QualifiedName(schema: "shop", name: "orders")),
                    .relation(QualifiedName(schema: "shop", name: "customers")),
                ]),
                snapshot: Example.snapshot(
                    statements: [
                        Example.statement(201, "SELECT id, total FROM shop.orders WHERE customer_id = $1 AND status = $2",
                                          calls: 700, meanMs: 35),
                        Example.statement(202, "SELECT id FROM shop.customers WHERE email = $1", calls: 700, meanMs: 8),
                        Example.statement(203, "SELECT * FROM shop.orders_archive WHERE id = $1", calls: 50, meanMs: 0.1),
                    ],
                    tables: [
                        Example.table("shop.orders", rows: 300_000, activity: IndexExamples.activity(
                            rows: 300_000, seqScans: 700, indexScans: 40, lastSeqScan: Example.ago(seconds: 30))),
                        Example.table("shop.customers", rows: 50_000, activity: IndexExamples.activity(
                            rows: 50_000, seqScans: 700, indexScans: nil)),
                    ])),
            RuleExample(
                "sequential scans a minority but above the share: info",
                .triggers([.relation(QualifiedName(schema: "shop", name: "events"))]),
                snapshot: Example.snapshot(
                    tables: [
                        Example.table("shop.events", rows: 80_000, activity: IndexExamples.activity(
                            rows: 80_000, seqScans: 120, indexScans: 1000)),
                    ])),
            RuleExample(
                "a freshly initialised pgbench: scans from CREATE INDEX, an unread history table, small tables",
                .passes,
                snapshot: Example.snapshot(
                    tables: [
                        Example.table("public.pgbench_accounts", rows: 1_000_000, activity: IndexExamples.activity(
                            rows: 1_000_000, seqScans: 2, indexScans: 30)),
                        Example.table("public.pgbench_history", rows: 4000, activity: IndexExamples.activity(
                            rows: 4000, seqScans: 0, indexScans: nil)),
                        Example.table("public.pgbench_branches", rows: 10, activity: IndexExamples.activity(
                            rows: 10, seqScans: 5000, indexScans: 0)),
                    ])),
            RuleExample(
                "a large table read through its indexes",
                .passes,
                snapshot: Example.snapshot(
                    tables: [
                        Example.table("shop.orders", rows: 300_000, activity: IndexExamples.activity(
                            rows: 300_000, seqScans: 400, indexScans: 90_000)),
                    ])),
            RuleExample.withoutSource("tables", state: .failed, "tables not collected"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let minRows = Double(context.parameters.count("min-rows"))
        let minSeqScans = context.parameters.count("min-seq-scans")
        let minShare = context.parameters.ratio("min-seq-share")
        let warningShare = context.parameters.ratio("warning-seq-share")
        let snapshot = context.snapshot
        let heavy = snapshot.tables.compactMap { table -> (table: TableInfo, activity: TableActivity)? in
            guard table.kind != .partitioned, table.fromExtension == nil, let activity = table.activity,
                  activity.seqScans >= minSeqScans, rows(table) >= minRows,
                  seqShare(activity) > minShare else { return nil }
            return (table, activity)
        }
        guard !heavy.isEmpty else { return [] }
        let readers = Readers(context, tables: heavy.map { $0.table })
        let totalSeqRead = snapshot.tables.reduce(Int64(0)) { $0 + max(0, $1.activity?.seqTuplesRead ?? 0) }
        return heavy.map { table, activity in
            finding(table, activity, readers: readers, totalSeqRead: totalSeqRead, warningShare: warningShare)
        }
    }

    /// The collected top-level statements that could scan a table, to find the ones naming it;
    /// empty when pg_stat_statements was not collected. INSERTs, EXPLAINs (other tools'
    /// calls) and maintenance commands are left out, and so, per table, are lookups by its
    /// primary key: none of them is the sequential scan to explain.
    private struct Readers {
        struct Reader {
            var statement: StatementStats
            var queryId: Int64
            var text: String
            /// Tables the statement looks up by their whole primary key.
            var keyLookups: Set<QualifiedName>
        }

        let usable: Bool
        let statements: [Reader]
        private let words: StatementWords

        /// The statements naming one of `tables`: only they can be listed, so only they are parsed.
        init(_ context: RuleContext, tables: [TableInfo]) {
            let snapshot = context.snapshot
            usable = snapshot.source("pg_stat_statements")?.isUsable ?? false
            let candidates = usable ? snapshot.statements.compactMap { s -> (StatementStats, Int64, String)? in
                guard s.toplevel != false, let id = s.queryId, let query = s.query, !StatementKeywords.isMaintenance(query),
                      !["INSERT", "EXPLAIN"].contains(StatementKeywords.leadingWords(query, count: 1).first ?? "") else { return nil }
                return (s, id, query)
            } : []
            let all = StatementWords(candidates.map { $0.2.lowercased() })
            let naming = Set(tables.flatMap { all.naming($0.name.lowercased()) })
            let analyzer = StatementAnalyzer(snapshot: snapshot)
            statements = candidates.indices.filter(naming.contains).map { i in
                let (s, id, query) = candidates[i]
                return Reader(statement: s, queryId: id, text: query.lowercased(),
                              keyLookups: Self.keyLookups(analyzer.analyze(WorkloadStatement(label: "", text: query)), context.facts))
            }
            words = StatementWords(statements.map(\.text))
        }

        /// The tables an access seeks by every column of their primary key.
        static func keyLookups(_ outcome: StatementAnalyzer.Outcome, _ facts: SnapshotFacts) -> Set<QualifiedName> {
            guard case .analyzed(let analyzed) = outcome else { return [] }
            return Set(analyzed.accesses.compactMap { access in
                guard let primary = facts.indexes(on: access.table).first(where: \.isPrimary) else { return nil }
                let keys = primary.keyColumns.compactMap(\.column)
                let equal = Set(access.equality.filter { $0.function == nil }.map(\.column))
                return !keys.isEmpty && Set(keys).isSubset(of: equal) ? access.table : nil
            })
        }

        /// Up to three statements naming the table, in the snapshot's order (by total time).
        func naming(_ table: TableInfo) -> [Reader] {
            Array(words.naming(table.name.lowercased()).lazy.map { statements[$0] }
                .filter { !$0.keyLookups.contains(table.qualifiedName) }.prefix(3))
        }
    }

    /// One table, with the statements naming it as the place to start.
    private static func finding(
        _ table: TableInfo, _ a: TableActivity, readers: Readers, totalSeqRead: Int64, warningShare: Double
    ) -> Finding {
        let share = seqShare(a)
        let indexScans = a.indexScans ?? 0
        let rowCount = rows(table)
        let perScan = a.seqScans > 0 ? Double(a.seqTuplesRead) / Double(a.seqScans) : 0
        let named = readers.naming(table)
        let queryIds = named.map(\.queryId)
        var evidence: [Evidence] = [
            Evidence("seqScans", "sequential scans", .count(a.seqScans)),
            Evidence("indexScans", "index scans", .count(indexScans)),
            Evidence("seqShare", "sequential share of scans", .ratio(share)),
            Evidence("rowsPerSeqScan", "rows per sequential scan", .number(perScan)),
            Evidence("seqRowsRead", "rows read sequentially", .count(a.seqTuplesRead)),
            Evidence("rows", "rows", .count(Int64(rowCount.rounded()))),
        ]
        if let bytes = table.size?.bytes { evidence.append(Evidence("sizeBytes", "size", .bytes(bytes))) }
        if let last = a.lastSeqScan { evidence.append(Evidence("lastSeqScan", "last sequential scan", .timestamp(last))) }
        if !queryIds.isEmpty {
            evidence.append(Evidence("statementQueryIds", "query ids of the statements naming the table",
                                     .list(queryIds.map(String.init))))
            evidence.append(Evidence("statements", "statements naming the table", .list(named.map { reader in
                let s = reader.statement
                return "query \(reader.queryId) (\(Format.count(s.calls)) calls, mean \(Format.duration(ms: s.meanExecTime))) — "
                    + Format.oneLine(s.query ?? "", limit: 120)
            })))
        }
        let sizeText = table.size.map { ", \(Format.bytes($0.bytes))" } ?? ""
        let message = "table \(SQLQuoting.qualified(table.qualifiedName)) (\(Format.rows(rowCount)) rows\(sizeText)) "
            + "had \(Format.count(a.seqScans)) sequential scans against \(Format.count(indexScans)) index scans "
            + "since the statistics reset (\(Format.percent(share)) sequential), reading about "
            + "\(Format.rows(perScan)) rows per scan."
        let advice = queryIds.isEmpty
            ? "find the statements that read this table (pg_stat_statements, or log_min_duration_statement), "
                + "EXPLAIN them and index the columns they filter on; a report that must read every row needs no index"
            : "EXPLAIN the statements that read this table and index the columns they filter on: "
                + queryIds.map { "query \($0)" }.joined(separator: ", ")
        var notes: [String] = []
        if !readers.usable {
            notes.append("pg_stat_statements was not collected, so the statements reading the table are not listed.")
        } else if queryIds.isEmpty {
            notes.append("No collected statement names the table, apart from INSERTs, EXPLAINs and lookups by its primary key; "
                + "it may be read through a view or a function.")
        }
        let score = totalSeqRead > 0 ? Double(a.seqTuplesRead) / Double(totalSeqRead) : 0
        return Finding(
            rule: description.id, severity: share >= warningShare ? .warning : .info,
            target: .relation(table.qualifiedName), message: message, evidence: evidence,
            remediations: [.manual(advice)],
            impact: Impact(score: score, summary: "\(Format.percent(score)) of the rows read by sequential scans"),
            notes: notes)
    }

    private static func rows(_ table: TableInfo) -> Double {
        max(table.estimatedRows, Double(table.activity?.liveTuples ?? 0))
    }

    private static func seqShare(_ a: TableActivity) -> Double {
        let total = a.seqScans + max(0, a.indexScans ?? 0)
        return total > 0 ? Double(a.seqScans) / Double(total) : 0
    }

    /// Whether `text` (lowercased) names `table` (lowercased) as a whole identifier:
    /// `orders` matches `shop.orders o` but not `orders_archive`.
    static func mentions(_ text: String, _ table: String) -> Bool {
        StatementWords.mentions(text, table)
    }
}
