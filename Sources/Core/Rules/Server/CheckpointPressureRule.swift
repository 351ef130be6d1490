import Model

/// Checkpoints forced by WAL volume rather than by time: max_wal_size is too small.
public enum CheckpointPressureRule: Rule {
    public static let description = RuleDescription(
        id: "checkpoint-pressure",
        title: "Checkpoints forced by WAL volume",
        category: .server,
        severity: .warning,
        requirements: [.source("checkpoints")],
        summary: "More than 20 % of checkpoints were requested rather than timed (over at least 10 checkpoints and a day of counters): WAL reaches max_wal_size before checkpoint_timeout.",
        rationale: """
            A checkpoint starts when checkpoint_timeout elapses (timed) or when the WAL written since \
            the last one reaches max_wal_size (requested). Frequent requested checkpoints mean \
            max_wal_size is too small for the write load: each checkpoint flushes dirty buffers in a \
            burst, and the first change to every page after it writes a full-page image to WAL, so \
            more checkpoints write more WAL, which brings the next checkpoint sooner. Peer tools \
            have no threshold for this; pgadvisor's own heuristic reports when requested \
            checkpoints exceed `max-requested-share` of timed + requested: with max_wal_size sized \
            for the load nearly all checkpoints are timed, and one in five early already costs \
            I/O. Requested checkpoints also count CHECKPOINT commands, base backups and DROP \
            DATABASE, which a throwaway or test server runs often in a short life, so the rule \
            judges only after `min-checkpoints` checkpoints and once the counters cover \
            `min-window` (since their reset, else since server start).
            """,
        manual: "https://www.postgresql.org/docs/current/wal-configuration.html",
        parameters: [
            RuleParameter("max-requested-share", .ratio(0.2), "Share of requested checkpoints above which max_wal_size is too small."),
            RuleParameter("min-checkpoints", .count(10), "Checkpoints (timed + requested) needed to judge."),
            RuleParameter("min-window", .duration(seconds: 86_400), "How long the checkpoint counters must have been counting."),
        ],
        examples: [
            RuleExample("700 requested and 300 timed checkpoints in 30 days", .triggers([.setting("max_wal_size")]),
                        snapshot: Example.snapshot(checkpoints: CheckpointStats(
                            timed: 300, requested: 700, statsReset: Example.ago(days: 30)))),
            RuleExample("nearly all checkpoints timed", .passes, snapshot: Example.snapshot()),
            RuleExample("a few manual checkpoints", .passes, snapshot: Example.snapshot(checkpoints: CheckpointStats(
                timed: 2, requested: 5, statsReset: Example.ago(days: 30)))),
            RuleExample("a test server two hours old that dropped 40 databases", .skipped("checkpoint counters cover only"),
                        snapshot: Example.snapshot(checkpoints: CheckpointStats(
                            timed: 24, requested: 40, statsReset: Example.ago(seconds: 7200)))),
            RuleExample.withoutSource("checkpoints", state: .failed, "checkpoint counters not read"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        guard let cp = snapshot.checkpoints else { throw RuleSkip("the snapshot has no checkpoint counters") }
        let maxShare = context.parameters.ratio("max-requested-share")
        let minCheckpoints = context.parameters.count("min-checkpoints")
        let minWindow = context.parameters.seconds("min-window")
        let since = cp.statsReset.map { ("the reset at \($0)", $0) } ?? snapshot.server.startedAt.map { ("server start at \($0)", $0) }
        let window = since.map { $0.1.seconds(until: snapshot.collectedAt) }
        if minWindow > 0 {
            guard let since, let window else {
                throw RuleSkip("the age of the checkpoint counters is unknown (no reset time, no server start)"
                    + "; set \(description.id).min-window = 0 to judge anyway")
            }
            guard window >= minWindow else {
                throw RuleSkip("checkpoint counters cover only \(Format.age(seconds: window)) (since \(since.0)), less than "
                    + "\(description.id).min-window = \(ParameterValue.duration(seconds: minWindow)); judge later or lower the parameter")
            }
        }
        let total = cp.timed + cp.requested
        guard total >= minCheckpoints, total > 0 else { return [] }
        let share = Double(cp.requested) / Double(total)
        guard share > maxShare else { return [] }

        let maxWal = snapshot.setting("max_wal_size")
        let maxWalBytes = maxWal?.bytes
        let timeoutMs = snapshot.setting("checkpoint_timeout")?.milliseconds
        var evidence: [Evidence] = [
            Evidence("requested", "requested checkpoints", .count(cp.requested)),
            Evidence("timed", "timed checkpoints", .count(cp.timed)),
            Evidence("requestedShare", "requested share", .ratio(share)),
        ]
        if let maxWalBytes { evidence.append(Evidence("maxWalSizeBytes", "max_wal_size", .bytes(maxWalBytes))) }
        if let timeoutMs { evidence.append(Evidence("checkpointTimeoutMs", "checkpoint_timeout", .milliseconds(timeoutMs))) }
        if let window, window > 0 {
            evidence.append(Evidence("window", "counted over", .text(Format.age(seconds: window))))
            evidence.append(Evidence("requestedPerHour", "requested per hour", .number(Double(cp.requested) / (window / 3600))))
        }
        if cp.writeTime > 0 { evidence.append(Evidence("writeTimeMs", "checkpoint write time", .milliseconds(cp.writeTime))) }
        if cp.syncTime > 0 { evidence.append(Evidence("syncTimeMs", "checkpoint sync time", .milliseconds(cp.syncTime))) }

        let remediation: Remediation
        if let maxWal, let maxWalBytes, maxWalBytes > 0 {
            remediation = .alterSystem(name: maxWal.name, value: MemoryUnits.display(bytes: maxWalBytes * 2), restart: maxWal.context == "postmaster")
        } else {
            remediation = .manual("Raise max_wal_size (double it, then check again after a few days) so that checkpoint_timeout starts most checkpoints")
        }
        return [Finding(
            rule: description.id, severity: .warning, target: .setting("max_wal_size"),
            message: "\(Format.percent(share)) of checkpoints were requested rather than timed (\(Format.count(cp.requested)) "
                + "requested, \(Format.count(cp.timed)) timed\(since.map { " since \($0.0)" } ?? "")): WAL reaches max_wal_size"
                + (maxWalBytes.map { " (\(Format.bytes($0)))" } ?? "") + " before checkpoint_timeout"
                + (timeoutMs.map { " (\(Format.duration(ms: $0)))" } ?? "") + " elapses, so checkpoints come early and write more full-page images.",
            evidence: evidence, remediations: [remediation],
            impact: Impact(score: share, summary: "\(Format.percent(share)) of checkpoints requested"),
            notes: [
                "Requested checkpoints also count CHECKPOINT commands, base backups and DROP DATABASE: if those explain the count, ignore this finding.",
                "pg_wal can grow to max_wal_size and beyond: check free disk space; crash recovery replays up to that much WAL.",
            ])]
    }
}
