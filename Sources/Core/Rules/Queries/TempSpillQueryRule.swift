import Model

/// Statements whose sorts and hashes spill to temporary files: a work_mem signal, per statement.
public enum TempSpillQueryRule: Rule {
    public static let description = RuleDescription(
        id: "temp-spill-query",
        title: "Statement spilling to temporary files",
        category: .queries,
        severity: .warning,
        requirements: [.source("pg_stat_statements")],
        summary: "Statements that wrote at least 1,000 temp blocks (8 MB at 8 kB) since the reset: their sorts or hashes do not fit in work_mem; the fix raises work_mem for their role, never server-wide.",
        rationale: """
            A sort, hash or materialize node that needs more than work_mem writes the excess to a \
            temporary file and reads it back: disk I/O in the middle of a query. The rule reports \
            top-level statements that wrote at least `min-temp-blocks` temp blocks in all since the \
            statistics were reset (1,000 blocks is 8 MB: less is a rounding error next to the cost \
            of a fix). Maintenance and bulk commands (CREATE INDEX, REINDEX, CLUSTER, VACUUM, ALTER \
            TABLE, COPY) are left out: they sort with maintenance_work_mem. Raising work_mem \
            server-wide is the classic mistake: every sort and hash node of every session and \
            parallel worker may use that much (hash nodes hash_mem_multiplier times more), so the \
            fix is scoped to the statement's role (ALTER ROLE ... SET work_mem) or its transaction \
            (SET LOCAL). The suggested value is the current work_mem plus the average spill per \
            call, rounded up to a power of two (a sort that spilled X needed roughly work_mem + X), \
            at least twice the current value and at most `max-work-mem`.
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-resource.html#GUC-WORK-MEM",
        parameters: [
            RuleParameter("min-temp-blocks", .count(1000), "Temp blocks a statement must have written (since the reset) to be reported."),
            RuleParameter("max-work-mem", .bytes(256 << 20), "Largest work_mem the rule suggests for one role."),
        ],
        examples: [
            RuleExample("a report sorting 8 MB more than work_mem on each call", .triggers([.statement(queryId: 701)]),
                        snapshot: Example.snapshot(statements: [
                Example.statement(701, "SELECT customer_id, sum(total) FROM orders GROUP BY customer_id ORDER BY 2 DESC",
                                  calls: 2000, meanMs: 900, tempWritten: 2_000_000),
                Example.statement(702, "SELECT * FROM orders WHERE id = $1", calls: 100_000, meanMs: 0.1),
            ])),
            RuleExample("a statement that spilled 1.6 MB in all", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(703, "SELECT * FROM orders ORDER BY created_at", calls: 4, meanMs: 300, tempWritten: 200),
            ])),
            RuleExample("an index build sorting in temp files (maintenance_work_mem)", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(704, "CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at)",
                                  calls: 1, meanMs: 40_000, tempWritten: 300_000),
            ])),
            RuleExample.withoutSource("pg_stat_statements", state: .missing, "pg_stat_statements not installed"),
        ]
    )

    /// work_mem in bytes when a setting does not say (PostgreSQL's default, 4 MB).
    static let defaultWorkMem: Int64 = 4 << 20

    /// The work_mem to suggest for a statement spilling `perCallBytes` on average: work_mem plus
    /// the spill, rounded up to a power of two, at least twice `workMem`, at most `cap`; nil when
    /// `workMem` is already at the cap.
    public static func suggestedWorkMem(workMem: Int64, perCallBytes: Int64, cap: Int64) -> Int64? {
        let wanted = max(2 * workMem, ConfigValue.powerOfTwo(atLeast: workMem + max(0, perCallBytes)))
        let suggested = min(wanted, cap)
        return suggested > workMem ? suggested : nil
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let minBlocks = context.parameters.count("min-temp-blocks")
        let cap = context.parameters.bytes("max-work-mem")
        let total = context.facts.totalExecTime
        let blockSize = Int64(context.snapshot.server.blockSize)
        let workMem = context.snapshot.setting("work_mem")?.bytes ?? defaultWorkMem
        return context.snapshot.statements.compactMap { s in
            guard s.toplevel != false, s.tempBlocksWritten >= minBlocks, !StatementKeywords.isMaintenance(s.query)
            else { return nil }
            let share = total > 0 ? s.totalExecTime / total : 0
            let tempBytes = s.tempBlocksWritten * blockSize
            let perCall = tempBytes / max(1, s.calls)
            var evidence = StatementEvidence.standard(s, share: share)
            evidence += [
                Evidence("tempBlocksWritten", "temp blocks written", .count(s.tempBlocksWritten)),
                Evidence("tempBytesWritten", "temp written", .bytes(tempBytes)),
                Evidence("tempBytesPerCall", "temp written per call", .bytes(perCall)),
                Evidence("workMemBytes", "work_mem", .bytes(workMem)),
            ]
            if let writeTime = s.tempBlockWriteTime, writeTime > 0 {
                evidence.append(Evidence("tempWriteTimeMs", "temp write time", .milliseconds(writeTime)))
            }
            var remediations: [Remediation] = []
            var notes = [
                "The spill per call is an average: if only some calls spill, each of those spills more.",
                "Do not raise work_mem server-wide: every sort and hash node of every session and parallel worker "
                    + "may use it, hash nodes hash_mem_multiplier times more.",
            ]
            let suggestion = suggestedWorkMem(workMem: workMem, perCallBytes: perCall, cap: cap)
            if let suggestion {
                let value = MemoryUnits.display(bytes: suggestion)
                evidence.append(Evidence("suggestedWorkMem", "suggested work_mem", .text(value)))
                if let role = s.userName {
                    remediations.append(.alterRole(role: role, name: "work_mem", value: value))
                    notes.append("ALTER ROLE \(SQLQuoting.identifier(role)) SET work_mem applies to every new session of that role, not only to this statement.")
                }
                remediations.append(.manual("Or raise it only where the statement runs: SET LOCAL work_mem = '\(value)' inside its transaction"))
                if suggestion < workMem + perCall {
                    notes.append("Even \(value) (\(description.id).max-work-mem) may not hold the whole spill: look at the plan first.")
                }
            }
            remediations.append(.manual("EXPLAIN (ANALYZE, BUFFERS) the statement: \"Sort Method: external merge\" or a Hash with more than one batch shows the node that spills; "
                + "an index that provides the order, or fewer rows, removes the spill without more memory"))
            var message = "wrote \(Format.bytes(tempBytes)) to temporary files over \(Format.count(s.calls)) calls "
                + "(\(Format.bytes(perCall)) per call on average): its sorts or hashes do not fit in work_mem "
                + "(\(Format.bytes(workMem)))"
            if suggestion == nil { message += ", already at or above \(MemoryUnits.display(bytes: cap)): rewrite rather than add memory" }
            return Finding(
                rule: description.id, severity: .warning, target: .statement(queryId: s.queryId),
                message: message + ".", evidence: evidence, remediations: remediations,
                impact: Impact(score: share, summary: "\(Format.bytes(tempBytes)) spilled, \(Format.percent(share)) of execution time"),
                notes: notes)
        }
    }
}
