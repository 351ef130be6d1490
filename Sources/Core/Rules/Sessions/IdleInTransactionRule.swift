import Model
import Planner

/// Sessions that opened a transaction and then stopped talking to the server.
public enum IdleInTransactionRule: Rule {
    public static let description = RuleDescription(
        id: "idle-in-transaction",
        title: "Idle in transaction",
        category: .sessions,
        severity: .warning,
        requirements: [.source("sessions")],
        summary: "Client sessions idle inside an open transaction for longer than `warning-after` (60 s); critical beyond `critical-after` (10 min).",
        rationale: """
            A session idle in transaction keeps every lock it took and, once it has written or while \
            it holds a snapshot, holds back the xmin horizon, so VACUUM cannot remove dead rows \
            anywhere in the cluster; it is the classic root of a blocking chain. The application is \
            usually waiting on something else (a user, a network call, a pool that returned the \
            connection mid-transaction). Idle time is measured from `state_change`, transaction age \
            from `xact_start`; the evidence carries the last statement and the xid/xmin ages. A \
            transaction in state `idle in transaction (aborted)` has already released its locks and \
            snapshot, so it is never more than a warning. Only client backends count, never \
            pgadvisor's own sessions; running statements belong to `long-running-query`, so no \
            session is reported by both. The critical threshold is stricter than pganalyze's 60 \
            minutes because ten minutes of held locks and snapshot already hurt an OLTP database. \
            The suggested `idle_in_transaction_session_timeout` ends the session, not just the \
            transaction: the application must reconnect.
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT",
        parameters: [
            RuleParameter("warning-after", .duration(seconds: 60), "Sessions idle in transaction longer than this are reported."),
            RuleParameter("critical-after", .duration(seconds: 600), "Sessions idle in transaction longer than this are critical."),
        ],
        examples: [
            RuleExample("a worker idle for 5 min after SELECT … FOR UPDATE", .triggers([.session(pid: 300)]),
                        snapshot: Example.snapshot(sessions: [
                idle(300, state: "idle in transaction", for: 300, query: "SELECT * FROM shop.orders WHERE id = 7 FOR UPDATE"),
            ])),
            RuleExample("an aborted transaction idle for an hour and one idle for 20 min",
                        .triggers([.session(pid: 301), .session(pid: 302)]), snapshot: Example.snapshot(sessions: [
                idle(301, state: "idle in transaction (aborted)", for: 3600, query: "INSERT INTO shop.orders VALUES (1)"),
                idle(302, state: "idle in transaction", for: 1200, query: "UPDATE shop.orders SET status = 'paid' WHERE id = 8"),
            ])),
            RuleExample("brief pauses inside transactions, idle sessions and a long-running statement", .passes,
                        snapshot: Example.snapshot(sessions: [
                idle(303, state: "idle in transaction", for: 10, query: "SELECT * FROM shop.orders WHERE id = 9"),
                idle(304, state: "idle", for: 7200, query: "COMMIT"),
                SessionInfo(pid: 305, database: "app", user: "app", state: "active", transactionStart: Example.ago(seconds: 3600),
                            queryStart: Example.ago(seconds: 3600), stateChange: Example.ago(seconds: 3600),
                            query: "SELECT count(*) FROM shop.orders"),
            ])),
            RuleExample.withoutSource("sessions", state: .failed, "sessions not collected"),
        ]
    )

    static func idle(_ pid: Int32, state: String, for seconds: Double, query: String) -> SessionInfo {
        let inTransaction = state != "idle"
        return SessionInfo(
            pid: pid, database: "app", user: "app", applicationName: "worker", state: state,
            transactionStart: inTransaction ? Example.ago(seconds: seconds + 2) : nil,
            queryStart: Example.ago(seconds: seconds + 1), stateChange: Example.ago(seconds: seconds),
            xidAge: inTransaction && !state.contains("aborted") ? 5000 : nil,
            xminAge: inTransaction && !state.contains("aborted") ? 5000 : nil, query: query)
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let warningAfter = context.parameters.seconds("warning-after")
        let criticalAfter = context.parameters.seconds("critical-after")
        let snapshot = context.snapshot
        let now = snapshot.collectedAt
        let candidates = snapshot.sessions.filter { s in
            guard SessionKind.isClient(s), SessionKind.isIdleInTransaction(s), !SessionKind.isPGAdvisor(s),
                  let idle = SessionKind.seconds(since: s.stateChange, at: now) else { return false }
            return idle > warningAfter
        }
        guard !candidates.isEmpty else { return [] }
        let graph = snapshot.lockWaits.isEmpty
            ? nil : BlockingGraph(lockWaits: snapshot.lockWaits, sessions: snapshot.sessions, at: now)
        let suggestTimeout = SessionKind.idleTimeoutIsLooser(than: warningAfter, in: snapshot)
        return candidates.map { s in
            let idle = SessionKind.seconds(since: s.stateChange, at: now) ?? 0
            let aborted = s.state == SessionKind.idleInTransactionAborted
            let transactionAge = SessionKind.seconds(since: s.transactionStart, at: now)
            let blocked = graph?.tree(rootedAt: s.pid)?.blockedPids ?? []
            let horizonAge = [s.xidAge, s.xminAge].compactMap { $0 }.max()

            var message = "pid \(s.pid)" + SessionDescription.who(s) + " has been \(s.state ?? "idle in transaction")"
                + " for \(Format.age(seconds: idle))"
            if let transactionAge, transactionAge - idle >= 60 {
                message += ", in a transaction open for \(Format.age(seconds: transactionAge))"
            }
            message += SessionKind.statement(s.query).map { "; its last statement was `\($0)`." } ?? "."
            if aborted {
                message += " The transaction failed and released its locks, but the application never rolled it back."
            } else {
                var effects: [String] = []
                if !blocked.isEmpty {
                    effects.append("blocks \(blocked.count == 1 ? "1 session" : "\(blocked.count) sessions") (see blocked-sessions)")
                }
                if let horizonAge { effects.append("holds back VACUUM (horizon age \(Format.magnitude(horizonAge)) transactions)") }
                if !effects.isEmpty { message += " It " + effects.joined(separator: " and ") + "." }
            }

            var evidence: [Evidence] = [
                Evidence("pid", "pid", .count(Int64(s.pid))),
                Evidence("idleMs", "idle for", .milliseconds(idle * 1000)),
            ]
            if let transactionAge {
                evidence.append(Evidence("transactionAgeMs", "transaction age", .milliseconds(transactionAge * 1000)))
            }
            if !blocked.isEmpty { evidence.append(Evidence("blockedPids", "blocked pids", .list(blocked.map(String.init)))) }
            if let timeout = snapshot.setting("idle_in_transaction_session_timeout")?.milliseconds {
                evidence.append(Evidence("idleInTransactionSessionTimeoutMs", "idle_in_transaction_session_timeout",
                                         .milliseconds(timeout)))
            }
            evidence += SessionDescription.evidence(s)

            var remediations: [Remediation] = [
                .manual("make the application commit or roll back promptly (no user input or network calls inside a "
                    + "transaction; the pool must not hand back connections mid-transaction); if this session is "
                    + "abandoned, end it with \(StatementSQL.inline(StatementSQL.terminateBackend(s.pid)))"),
            ]
            if suggestTimeout {
                remediations.append(.alterDatabase(
                    database: s.database ?? snapshot.server.database, name: "idle_in_transaction_session_timeout",
                    value: SessionKind.timeoutValue(seconds: warningAfter)))
            }
            let critical = idle > criticalAfter && !aborted
            return Finding(
                rule: description.id, severity: critical ? .critical : .warning, target: .session(pid: s.pid),
                message: message, evidence: evidence, remediations: remediations,
                impact: Impact(score: min(1, idle / max(criticalAfter, 1)),
                               summary: "idle in transaction for \(Format.age(seconds: idle))"),
                notes: [
                    "idle_in_transaction_session_timeout ends the session, not just the transaction: the application must reconnect.",
                    "The timeout shown is the value of pgadvisor's own session; ALTER ROLE or ALTER DATABASE settings may differ for the application.",
                ])
        }
    }
}
