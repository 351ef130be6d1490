import Model
import Planner

/// Client statements that have been running for a long time.
public enum LongRunningQueryRule: Rule {
    public static let description = RuleDescription(
        id: "long-running-query",
        title: "Long-running query",
        category: .sessions,
        severity: .warning,
        requirements: [.source("sessions")],
        summary: "Client sessions whose current statement has been running longer than `warning-after` (30 s); critical beyond `critical-after` (5 min).",
        rationale: """
            A statement that runs for minutes holds its locks and its snapshot the whole time: \
            VACUUM cannot remove rows deleted after the snapshot was taken (the session's xmin age \
            is in the evidence), DDL on its tables queues behind it and every query queues behind \
            the DDL. The rule looks at `pg_stat_activity` rows in state `active` of client backends \
            only and measures from `query_start`; autovacuum workers, walsenders, parallel workers \
            (their leader is counted) and pgadvisor's own sessions are left out, and sessions that \
            are idle in transaction belong to `idle-in-transaction`, so a session is never reported \
            by both. Sessions hidden from the auditing role (no `pg_read_all_stats`) cannot be \
            judged. Backups (pg_dump) and batch jobs run long by design: check the application \
            before acting.
            """,
        manual: "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW",
        parameters: [
            RuleParameter("warning-after", .duration(seconds: 30), "Statements running longer than this are reported."),
            RuleParameter("critical-after", .duration(seconds: 300), "Statements running longer than this are critical."),
        ],
        examples: [
            RuleExample("a report running for 3 min and an update running for 20 min",
                        .triggers([.session(pid: 4001), .session(pid: 4002)]), snapshot: Example.snapshot(sessions: [
                active(4001, for: 180, query: "SELECT customer_id, sum(total) FROM shop.orders GROUP BY 1"),
                active(4002, for: 1200, query: "UPDATE shop.orders SET status = 'archived' WHERE created < now() - interval '1 year'"),
            ])),
            RuleExample("short statements, idle sessions and maintenance processes", .passes, snapshot: Example.snapshot(sessions: [
                active(4001, for: 5, query: "SELECT * FROM shop.orders WHERE id = 1"),
                SessionInfo(pid: 4002, database: "app", user: "app", state: "idle", queryStart: Example.ago(seconds: 7200),
                            stateChange: Example.ago(seconds: 7199), query: "SELECT 1"),
                SessionInfo(pid: 4003, database: "app", backendType: "autovacuum worker", state: "active",
                            transactionStart: Example.ago(seconds: 7200), queryStart: Example.ago(seconds: 7200),
                            query: "autovacuum: VACUUM shop.orders"),
                SessionInfo(pid: 4004, user: "replicator", backendType: "walsender", state: "active",
                            queryStart: Example.ago(days: 3), query: "START_REPLICATION SLOT \"standby\" 0/3000000"),
                SessionInfo(pid: 4005, database: "app", user: "audit", applicationName: "pgadvisor", state: "active",
                            queryStart: Example.ago(seconds: 90), query: "SELECT * FROM pg_stat_user_tables"),
                SessionInfo(pid: 4006, database: "app", user: "app", backendType: "parallel worker", state: "active",
                            queryStart: Example.ago(seconds: 5), leaderPid: 4001, query: "SELECT * FROM shop.orders WHERE id = 1"),
            ])),
            RuleExample("a transaction idle for an hour belongs to idle-in-transaction", .passes, snapshot: Example.snapshot(sessions: [
                SessionInfo(pid: 4007, database: "app", user: "app", state: "idle in transaction",
                            transactionStart: Example.ago(seconds: 3700), queryStart: Example.ago(seconds: 3600),
                            stateChange: Example.ago(seconds: 3600), query: "SELECT * FROM shop.orders FOR UPDATE"),
            ])),
            RuleExample("a 90 s statement with warning-after = 2min", .passes, parameters: ["warning-after": "2min"],
                        snapshot: Example.snapshot(sessions: [active(4001, for: 90, query: "SELECT count(*) FROM shop.orders")])),
            RuleExample.withoutSource("sessions", state: .denied, "sessions not collected"),
        ]
    )

    static func active(_ pid: Int32, for seconds: Double, query: String) -> SessionInfo {
        SessionInfo(pid: pid, database: "app", user: "app", applicationName: "web", state: "active",
                    transactionStart: Example.ago(seconds: seconds), queryStart: Example.ago(seconds: seconds),
                    stateChange: Example.ago(seconds: seconds), xidAge: 40, xminAge: 1_250_000, query: query)
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let warningAfter = context.parameters.seconds("warning-after")
        let criticalAfter = context.parameters.seconds("critical-after")
        let now = context.snapshot.collectedAt
        return context.snapshot.sessions.compactMap { s in
            guard SessionKind.isClient(s), s.state == SessionKind.active, !SessionKind.isPGAdvisor(s),
                  let runtime = SessionKind.seconds(since: s.queryStart, at: now), runtime > warningAfter
            else { return nil }
            let critical = runtime > criticalAfter
            var message = "pid \(s.pid)" + SessionDescription.who(s) + " has been running its statement for "
                + Format.age(seconds: runtime)
            message += SessionKind.statement(s.query).map { ": `\($0)`." } ?? "."
            if s.waitEventType == "Lock" {
                message += " It is waiting for a lock (\(s.waitEvent ?? "lock")); blocked-sessions names the blocker."
            } else if let xminAge = s.xminAge {
                message += " Its snapshot holds back VACUUM (xmin age \(Format.magnitude(xminAge)) transactions)."
            }
            var evidence: [Evidence] = [
                Evidence("pid", "pid", .count(Int64(s.pid))),
                Evidence("runtimeMs", "running for", .milliseconds(runtime * 1000)),
            ]
            if let age = SessionKind.seconds(since: s.transactionStart, at: now) {
                evidence.append(Evidence("transactionAgeMs", "transaction age", .milliseconds(age * 1000)))
            }
            evidence += SessionDescription.evidence(s)
            let threshold = critical ? criticalAfter : warningAfter
            return Finding(
                rule: description.id, severity: critical ? .critical : .warning, target: .session(pid: s.pid),
                message: message, evidence: evidence,
                remediations: [
                    .manual("find out why it runs so long (EXPLAIN the statement, check its wait events); if it is not "
                        + "expected, cancel it with \(StatementSQL.inline(StatementSQL.cancelBackend(s.pid)))"),
                    .manual("cap interactive roles with a per-role statement_timeout (ALTER ROLE … SET statement_timeout "
                        + "= '\(ParameterValue.duration(seconds: criticalAfter))'); give batch and backup roles a longer one or none"),
                ],
                impact: Impact(score: min(1, runtime / max(criticalAfter, 1)),
                               summary: "running \(Format.age(seconds: runtime)) (threshold \(Format.age(seconds: threshold)))"),
                notes: ["Backups (pg_dump), index builds and batch jobs run long by design: check the application before cancelling."])
        }
    }
}
