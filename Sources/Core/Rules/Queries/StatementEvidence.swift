import Model

/// The evidence every statement finding carries, so they read alike.
public enum StatementEvidence {
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
        if let query = s.query { evidence.append(Evidence("query", "query", .text(query))) }
        return evidence
    }
}
