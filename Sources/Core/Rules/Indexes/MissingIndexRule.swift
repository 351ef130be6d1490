import Foundation
import Model

/// Indexes the workload's statements need: the index advisor's recommendations as findings.
public enum MissingIndexRule: Rule {
    public static let description = RuleDescription(
        id: "missing-index",
        title: "Missing index",
        category: .indexes,
        severity: .warning,
        requirements: [.source("pg_stat_statements"), .source("tables"), .source("indexes")],
        summary: "Indexes the index advisor recommends for the `pg_stat_statements` workload: each with the statements it speeds up, their cost before and after, the time saved, its size and its write overhead; a warning when verified with hypopg, info when estimated from `pg_stats`.",
        rationale: """
            The advisor parses the `max-statements` statements with the most execution time with \
            PostgreSQL's own parser (libpg_query), resolves \
            its tables and columns through the search_path, and proposes btree candidates per table \
            in the order that serves it: equality columns first (those more statements share, then \
            the more selective), then one range, LIKE prefix or the ORDER BY keys; join keys; \
            expressions such as `lower(email)`; partial indexes for conditions that keep at most \
            `partial-max-fraction` of the rows (`IS NULL`, a boolean column, or a constant of a \
            column with at most 100 distinct values). Candidates an existing valid index serves (same \
            leading keys) and tables under `min-table-rows` rows are dropped. Against a live server \
            with hypopg, each candidate is costed by the planner with hypothetical indexes (generic \
            plans for `$n` statements) and kept only when the plan uses it; without hypopg, or from a \
            snapshot file, costs are estimated from `pg_stats` and the finding says so. A greedy \
            search then adds the candidate that saves the most execution time (calls × mean, scaled \
            by the cost cut) net of its write overhead (index entries from the table's inserts and \
            non-HOT updates, times `write-cost`), until no candidate cuts a statement's cost by \
            `min-improvement` and `min-cost-saving` planner units, `max-indexes` are chosen or the size budget is spent; a wider index \
            that serves two statements wins over two narrow ones when the costs say so, and picks \
            that later picks made redundant are dropped. `pgadvisor indexes --explain-rejections` \
            lists every candidate not recommended with the reason.
            """,
        manual: "https://www.postgresql.org/docs/current/indexes-multicolumn.html",
        parameters: [
            RuleParameter("max-indexes", .count(10), "At most this many indexes are recommended."),
            RuleParameter("max-size", .bytes(0), "The recommended indexes together stay under this size (0: 25 % of the database, at least 256 MB)."),
            RuleParameter("min-improvement", .ratio(0.1), "A candidate must cut at least one statement's cost by this share..."),
            RuleParameter("min-cost-saving", .number(100), "... and by at least this many planner cost units."),
            RuleParameter("min-table-rows", .count(10_000), "Tables with fewer estimated rows are not indexed."),
            RuleParameter("max-columns", .count(3), "Key columns per index."),
            RuleParameter("min-calls", .count(0), "Statements with fewer calls are left out."),
            RuleParameter("max-statements", .count(200), "Only this many statements, those with the most execution time, are analyzed."),
            RuleParameter("write-cost", .duration(seconds: 0.000_01), "Estimated time to add one entry to one index on a write."),
            RuleParameter("partial-max-fraction", .ratio(0.2), "A condition keeping at most this share of rows makes a partial-index candidate."),
            RuleParameter("max-explain-calls", .count(5000), "The what-if search stops after this many EXPLAIN calls and keeps its picks."),
        ],
        examples: [
            RuleExample(
                "orders filtered by customer and date range with only a primary key",
                .triggers([.relation(QualifiedName(schema: "shop", name: "orders"))]),
                snapshot: Example.snapshot(
                    statements: [
                        Example.statement(301, "SELECT id, total FROM shop.orders WHERE customer_id = $1 AND created_at > $2",
                                          calls: 5000, meanMs: 40),
                    ],
                    tables: [IndexExamples.ordersTable],
                    indexes: [Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true)],
                    columnStats: IndexExamples.ordersStats)),
            RuleExample(
                "the same statement with the index already there",
                .passes,
                snapshot: Example.snapshot(
                    statements: [
                        Example.statement(301, "SELECT id, total FROM shop.orders WHERE customer_id = $1 AND created_at > $2",
                                          calls: 5000, meanMs: 0.2),
                    ],
                    tables: [IndexExamples.ordersTable],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true),
                        Example.index("shop.orders_customer_id_created_at_idx", on: "shop.orders",
                                      columns: ["customer_id", "created_at"]),
                    ],
                    columnStats: IndexExamples.ordersStats)),
            RuleExample(
                "pgbench: lookups by primary key, a small table, a utility statement",
                .passes,
                snapshot: Example.snapshot(
                    statements: [
                        Example.statement(302, "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
                                          calls: 10_000, meanMs: 0.1),
                        Example.statement(303, "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2",
                                          calls: 10_000, meanMs: 0.1),
                        Example.statement(304, "vacuum pgbench_branches", calls: 10, meanMs: 1),
                    ],
                    tables: [
                        Example.table("public.pgbench_accounts", rows: 1_000_000, columns: [
                            Column(name: "aid", position: 1, type: "integer", notNull: true),
                            Column(name: "abalance", position: 2, type: "integer"),
                        ]),
                        Example.table("public.pgbench_branches", rows: 10, columns: [
                            Column(name: "bid", position: 1, type: "integer", notNull: true),
                            Column(name: "bbalance", position: 2, type: "integer"),
                        ]),
                    ],
                    indexes: [
                        Example.index("public.pgbench_accounts_pkey", on: "public.pgbench_accounts", columns: ["aid"], primary: true),
                    ])),
            RuleExample.withoutSource("pg_stat_statements", state: .missing, "pg_stat_statements not installed"),
        ]
    )

    /// The advisor's options from the rule's parameters.
    public static func options(_ parameters: RuleParameters) -> IndexAdvisorOptions {
        let maxSize = parameters.bytes("max-size")
        return IndexAdvisorOptions(
            maxIndexes: Int(parameters.count("max-indexes")), maxBytes: maxSize > 0 ? maxSize : nil,
            minImprovement: parameters.ratio("min-improvement"), minCostSaving: parameters.number("min-cost-saving"),
            minTableRows: Double(parameters.count("min-table-rows")),
            maxColumns: max(1, Int(parameters.count("max-columns"))), minCalls: parameters.count("min-calls"),
            maxStatements: Int(max(1, parameters.count("max-statements"))),
            writeCostMs: parameters.milliseconds("write-cost"), partialMaxFraction: parameters.ratio("partial-max-fraction"),
            maxExplainCalls: Int(parameters.count("max-explain-calls")))
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let advice = context.indexAdvice ?? IndexAdvisor(options: options(context.parameters)).advise(
            snapshot: context.snapshot, workload: WorkloadStatement.fromSnapshot(context.snapshot))
        let totalMs = context.facts.totalExecTime
        let advised = Set(advice.recommendations.map(\.spec.table))
        return advice.recommendations.map { finding($0, advice: advice, totalMs: totalMs) }
            + advice.lockedTables.filter { !advised.contains($0) }.map(lockedFinding)
    }

    /// A table whose statements neither the planner nor the statistics could advise on: named,
    /// so that an absent recommendation is not read as "no index needed".
    static func lockedFinding(_ table: QualifiedName) -> Finding {
        Finding(
            rule: description.id, severity: .info, target: .relation(table),
            message: "the index advisor could not cost the statements on \(table): \(LockedTablesError(tables: [table])); "
                + "the estimate from pg_stats suggests no index for them.",
            evidence: [Evidence("lockedTable", "locked table", .text(SQLQuoting.qualified(table)))],
            notes: ["Audit again once the lock is released for advice verified by the planner."])
    }

    /// One finding per recommended index.
    public static func finding(_ r: IndexRecommendation, advice: IndexAdvice, totalMs: Double) -> Finding {
        let spec = r.spec
        let helped = r.statements
        let verified = advice.isVerified(r)
        var evidence: [Evidence] = [
            Evidence("verified", "verified with hypopg", .flag(verified)),
            Evidence("keys", "keys", .text(spec.display)),
            Evidence("estimatedSizeBytes", "estimated size", .bytes(r.estimatedBytes)),
            Evidence("sizeFromWidthsBytes", "size from column widths", .bytes(r.bytesFromWidths)),
            Evidence("statementsHelped", "statements helped", .count(Int64(helped.count))),
        ]
        if let perDay = r.savedMsPerDay { evidence.append(Evidence("savedMsPerDay", "time saved per day", .milliseconds(perDay))) }
        if let saved = r.savedMs { evidence.append(Evidence("savedMs", "time saved since the statistics reset", .milliseconds(saved))) }
        evidence.append(Evidence("statements", "statements", .list(helped.map { $0.summary + " — " + Format.oneLine($0.text, limit: 120) })))
        let queryIds = helped.compactMap { $0.queryId.map(String.init) }
        if !queryIds.isEmpty { evidence.append(Evidence("queryIds", "query ids (for verify)", .list(queryIds))) }
        if let entries = r.writeOverhead.entries {
            evidence.append(Evidence("writeEntries", "index entries the writes since the reset add", .number(entries.rounded())))
        }
        if let entries = r.writeOverhead.entriesPerDay {
            evidence.append(Evidence("writeEntriesPerDay", "index entries written per day", .number(entries.rounded())))
        }
        if let ms = r.writeOverhead.msPerDay { evidence.append(Evidence("writeMsPerDay", "write overhead per day", .milliseconds(ms))) }
        if let ratio = r.writeOverhead.entryToRowRatio { evidence.append(Evidence("entryToRowRatio", "index entry / row size", .ratio(ratio))) }
        if !r.writeOverhead.breaksHOTOn.isEmpty {
            evidence.append(Evidence("breaksHOTOn", "updated columns it indexes (no more HOT updates)", .list(r.writeOverhead.breaksHOTOn)))
        }
        let best = helped.first
        var message = "index \(spec.display) "
        if let best {
            message += "would cut \(best.label)'s cost from \(Format.decimal(best.costBefore)) to \(Format.decimal(best.costAfter))"
            message += " (−\(Format.percent(best.improvement)))"
            if helped.count > 1 { message += " and serve \(helped.count - 1) more statement\(helped.count == 2 ? "" : "s")" }
        } else {
            message += "lowers the workload's cost"
        }
        if let perDay = r.savedMsPerDay {
            message += ", saving about \(Format.duration(ms: perDay)) of execution time a day"
        } else if let saved = r.savedMs {
            message += ", saving about \(Format.duration(ms: saved)) of execution time since the statistics reset"
        }
        message += verified ? " (verified with hypopg)." : " (estimated from pg_stats, unverified)."
        var notes = ["Candidate from \(r.origin) conditions; estimated size \(Format.bytes(r.estimatedBytes))"
            + (verified ? " by hypopg, which ignores btree deduplication (columns with repeated values come out smaller)." : " from pg_stats widths.")]
        if r.estimatedFromStatistics {
            notes.append("Unverified: \(LockedTablesError(tables: [spec.table])), so the planner could not cost it; audit again once the lock is released.")
        } else if !verified {
            notes.append("Unverified: \(IndexAdvisor.verifyAdvice).")
        }
        if !r.writeOverhead.breaksHOTOn.isEmpty {
            notes.append("It indexes updated columns (\(r.writeOverhead.breaksHOTOn.joined(separator: ", "))): those updates stop being HOT and write every index of the table.")
        }
        let saved = r.savedMs ?? 0
        return Finding(
            rule: description.id, severity: verified ? .warning : .info,
            target: .relation(spec.table), message: message, evidence: evidence,
            remediations: [.createIndex(spec)],
            impact: Impact(score: totalMs > 0 ? saved / totalMs : (best?.improvement ?? 0) * 0.01,
                           summary: r.savedMsPerDay.map { "saves ~\(Format.duration(ms: $0)) a day" }
                               ?? r.savedMs.map { "saves ~\(Format.duration(ms: $0)) since the statistics reset" } ?? "cuts statement cost"),
            notes: notes)
    }

}
