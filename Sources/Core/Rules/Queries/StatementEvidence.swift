import Model

/// The evidence every statement finding carries, so they read alike.
public enum StatementEvidence {
    /// Counters younger than this (per-entry `stats_since`, pg_stat_statements 1.11+) cover too
    /// short a period to speak for the workload on their own.
    public static let youngCountersSeconds = 3600.0

    public static func standard(_ s: StatementStats, share: Double) -> [Evidence] {
        var evidence: [Evidence] = [
            Evidence("calls", "calls", .count(s.calls)),
            Evidence("meanMs", "mean", .milliseconds(s.meanExecTime)),
            Evidence("maxMs", "max", .milliseconds(s.maxExecTime)),
            Evidence("stddevMs", "stddev", .milliseconds(s.stddevExecTime)),
            Evidence("totalMs", "total", .milliseconds(s.totalExecTime)),
            Evidence("shareOfTotal", "share of total", .ratio(share)),
            Evidence("rowsPerCall", "rows per call", .number(s.calls > 0 ? Double(s.rows) / Double(s.calls) : 0)),
        ]
        if let hit = s.sharedHitRatio { evidence.append(Evidence("sharedHitRatio", "shared hit", .ratio(hit))) }
        evidence += versionedEvidence(s)
        if let query = s.query { evidence.append(Evidence("query", "query", .text(query))) }
        return evidence
    }

    /// Figures only newer extension versions (or track_io_timing) provide; absent otherwise,
    /// so reports of older servers read as before.
    static func versionedEvidence(_ s: StatementStats) -> [Evidence] {
        var evidence: [Evidence] = []
        if s.ioTime > 0 {
            evidence.append(Evidence("ioTimeMs", "block I/O time", .milliseconds(s.ioTime)))
            if s.totalExecTime > 0 {
                evidence.append(Evidence("ioTimeShare", "share of its time in block I/O", .ratio(min(1, s.ioTime / s.totalExecTime))))
            }
        }
        if let wanted = s.parallelWorkersToLaunch, let launched = s.parallelWorkersLaunched, wanted > 0 {
            evidence.append(Evidence("parallelWorkersPlanned", "parallel workers planned", .count(wanted)))
            evidence.append(Evidence("parallelWorkersLaunched", "parallel workers launched", .count(launched)))
        }
        if let full = s.walBuffersFull, full > 0 {
            evidence.append(Evidence("walBuffersFull", "WAL buffers full", .count(full)))
        }
        if let jit = s.jitTime, jit > 0 { evidence.append(Evidence("jitMs", "JIT compilation", .milliseconds(jit))) }
        if let since = s.statsSince { evidence.append(Evidence("countersSince", "counters since", .timestamp(since))) }
        return evidence
    }

    /// A sentence saying the statement's counters are young (its entry was created or reset
    /// less than an hour before the snapshot), or nil.
    public static func youngCounters(_ s: StatementStats, snapshot: Snapshot) -> String? {
        guard let since = s.statsSince else { return nil }
        let age = since.seconds(until: snapshot.collectedAt)
        guard age >= 0, age < youngCountersSeconds else { return nil }
        return "Its counters started \(Format.age(seconds: age)) before the snapshot (stats_since): "
            + "too short a period to speak for the workload; look again later."
    }
}
