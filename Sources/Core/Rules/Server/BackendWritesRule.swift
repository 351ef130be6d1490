import Model

/// Client backends writing out shared buffers themselves (pg_stat_io, PostgreSQL 16+): the
/// background writer does not keep enough clean buffers ahead of them.
public enum BackendWritesRule: Rule {
    public static let description = RuleDescription(
        id: "backend-writes",
        title: "Backends write shared buffers themselves",
        category: .server,
        severity: .warning,
        requirements: [.source("pg_stat_io")],
        summary: "More than 20 % of shared-buffer writes were done by client backends rather than the checkpointer and background writer (pg_stat_io, PostgreSQL 16+), or backends had to fsync files themselves.",
        rationale: """
            A query that needs a free buffer and finds only dirty ones writes one out itself and \
            waits for it; the background writer exists to clean buffers ahead of that demand, and \
            the checkpointer writes the rest. pg_stat_io (16+) counts writes by process type; \
            it replaced pg_stat_bgwriter.buffers_backend and buffers_backend_fsync, which 17 \
            dropped. pgadvisor's own heuristic reports when client backends (and background \
            workers) did more than `max-backend-share` of the writes in shared buffers (context \
            normal; bulk rings and vacuum are left out), over at least `min-writes` writes and \
            `min-window` of counters. Any fsync done by a client backend means the checkpointer's \
            request queue was full, which stalls that query. The remedy is a background writer \
            that writes more per round (bgwriter_lru_maxpages, bgwriter_lru_multiplier), or \
            shared buffers large enough for the working set.
            """,
        manual: "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-IO-VIEW",
        parameters: [
            RuleParameter("max-backend-share", .ratio(0.2), "Share of shared-buffer writes by client backends above which the background writer lags."),
            RuleParameter("min-writes", .count(10_000), "Shared-buffer writes (all processes) needed to judge."),
            RuleParameter("min-window", .duration(seconds: 86_400), "How long the pg_stat_io counters must have been counting."),
        ],
        examples: [
            RuleExample("backends wrote 60,000 of 100,000 buffers", .triggers([.setting("bgwriter_lru_maxpages")]),
                        snapshot: example(backend: 60_000, checkpointer: 30_000, bgwriter: 10_000)),
            RuleExample("the checkpointer and background writer did nearly all writes", .passes,
                        snapshot: example(backend: 1_000, checkpointer: 80_000, bgwriter: 19_000)),
            RuleExample("backends fsynced files themselves", .triggers([.setting("bgwriter_lru_maxpages")]),
                        snapshot: example(backend: 500, checkpointer: 80_000, bgwriter: 19_000, backendFsyncs: 12)),
            RuleExample("too few writes to judge", .passes, snapshot: example(backend: 600, checkpointer: 300, bgwriter: 100)),
            RuleExample.withoutSource("pg_stat_io", state: .missing, "PostgreSQL 15: no pg_stat_io"),
        ]
    )

    /// Process types whose writes come from queries waiting for a buffer.
    static let backendTypes: Set<String> = ["client backend", "background worker", "standalone backend"]

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        guard let io = snapshot.io else { throw RuleSkip("the snapshot has no pg_stat_io rows") }
        let rows = io.filter { $0.object == "relation" && $0.context == "normal" }
        let minWindow = context.parameters.seconds("min-window")
        if minWindow > 0 {
            let since = rows.compactMap(\.statsReset).min() ?? snapshot.server.startedAt
            guard let since else { throw RuleSkip("the age of the pg_stat_io counters is unknown; set \(description.id).min-window = 0 to judge anyway") }
            let window = since.seconds(until: snapshot.collectedAt)
            guard window >= minWindow else {
                throw RuleSkip("pg_stat_io counters cover only \(Format.age(seconds: window)), less than "
                    + "\(description.id).min-window = \(ParameterValue.duration(seconds: minWindow)); judge later or lower the parameter")
            }
        }
        func writes(_ types: Set<String>) -> Int64 { rows.filter { types.contains($0.backendType) }.reduce(0) { $0 + ($1.writes ?? 0) } }
        let backend = writes(backendTypes)
        let checkpointer = writes(["checkpointer"])
        let bgwriter = writes(["background writer"])
        let fsyncs = rows.filter { backendTypes.contains($0.backendType) }.reduce(Int64(0)) { $0 + ($1.fsyncs ?? 0) }
        let total = backend + checkpointer + bgwriter
        let share = total > 0 ? Double(backend) / Double(total) : 0
        let heavy = total >= context.parameters.count("min-writes") && share > context.parameters.ratio("max-backend-share")
        guard heavy || fsyncs > 0 else { return [] }
        return [finding(snapshot, backend: backend, checkpointer: checkpointer, bgwriter: bgwriter, fsyncs: fsyncs, share: share, heavy: heavy)]
    }

    private static func finding(
        _ snapshot: Snapshot, backend: Int64, checkpointer: Int64, bgwriter: Int64, fsyncs: Int64, share: Double, heavy: Bool
    ) -> Finding {
        var evidence: [Evidence] = [
            Evidence("backendWrites", "writes by client backends", .count(backend)),
            Evidence("checkpointerWrites", "writes by the checkpointer", .count(checkpointer)),
            Evidence("bgwriterWrites", "writes by the background writer", .count(bgwriter)),
            Evidence("backendShare", "share written by client backends", .ratio(share)),
        ]
        if fsyncs > 0 { evidence.append(Evidence("backendFsyncs", "fsyncs by client backends", .count(fsyncs))) }
        var parts: [String] = []
        if heavy {
            parts.append("client backends wrote \(Format.percent(share)) of shared-buffer writes (\(Format.count(backend)) of "
                + "\(Format.count(backend + checkpointer + bgwriter))): queries wait for dirty buffers to be written before reusing them")
        }
        if fsyncs > 0 {
            parts.append("client backends ran \(Format.count(fsyncs)) fsyncs themselves: the checkpointer's request queue was full")
        }
        let message = parts.joined(separator: "; ").prefix(1).uppercased() + parts.joined(separator: "; ").dropFirst() + "."
        let maxPages = snapshot.setting("bgwriter_lru_maxpages")
        let current = maxPages.flatMap { Int64($0.value) } ?? 100
        var remediations: [Remediation] = [.alterSystem(name: "bgwriter_lru_maxpages", value: String(max(400, current * 2)), restart: false)]
        remediations.append(.manual("If the working set does not fit in shared_buffers, raise shared_buffers instead ('pgadvisor tune')"))
        return Finding(
            rule: description.id, severity: .warning, target: .setting("bgwriter_lru_maxpages"),
            message: String(message), evidence: evidence, remediations: remediations,
            impact: Impact(score: max(share, fsyncs > 0 ? 0.3 : 0), summary: "\(Format.percent(share)) of writes by backends"),
            notes: ["Read from pg_stat_io (PostgreSQL 16+), rows of object relation in context normal."])
    }

    /// A PostgreSQL 18 snapshot with pg_stat_io rows of 30 days.
    static func example(backend: Int64, checkpointer: Int64, bgwriter: Int64, backendFsyncs: Int64 = 0) -> Snapshot {
        var s = Example.snapshot(versionNumber: 180_001)
        let reset = Example.ago(days: 30)
        s.io = [
            IOStats(backendType: "background writer", writes: bgwriter, fsyncs: 0, statsReset: reset),
            IOStats(backendType: "checkpointer", writes: checkpointer, fsyncs: 4000, statsReset: reset),
            IOStats(backendType: "client backend", reads: 900_000, writes: backend, hits: 90_000_000, fsyncs: backendFsyncs, statsReset: reset),
            IOStats(backendType: "client backend", context: "bulkwrite", writes: 500_000, statsReset: reset),
        ]
        s.sources.append(SourceStatus(name: "pg_stat_io", state: .collected, rows: 4))
        return s
    }
}
