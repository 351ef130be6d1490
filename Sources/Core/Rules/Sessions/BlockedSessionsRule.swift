import Model
import Planner

/// Sessions waiting for locks, reported once per root blocker with the whole tree behind it.
public enum BlockedSessionsRule: Rule {
    public static let description = RuleDescription(
        id: "blocked-sessions",
        title: "Blocked sessions",
        category: .sessions,
        severity: .warning,
        requirements: [.source("sessions"), .source("lock_waits")],
        summary: "Sessions waiting for a lock, reported once per root blocker (a session that blocks others without waiting itself) with every session queued behind it; critical when a wait exceeds `critical-wait` (1 s).",
        rationale: """
            A session that holds a lock and does nothing with it, typically one left idle in \
            transaction by the application, stalls every session that needs a conflicting lock, and \
            every session queued behind those: one forgotten transaction can stop a whole table. The \
            rule builds the wait-for graph from `pg_blocking_pids()` (which understands lock \
            conflicts and queue order, unlike a `pg_locks` self-join), folds parallel workers into \
            their leader, and reports each root blocker once with the pids waiting on it, the depth \
            of the queue, the modes requested and held, the relations, and the longest wait \
            (`pg_locks.waitstart` on PostgreSQL 14+, the waiter's last state change before). A pid \
            0 blocker is a prepared transaction. Cycles, which the deadlock detector breaks within \
            `deadlock_timeout`, are reported under their lowest pid instead of looping. Every wait \
            in the snapshot is reported: a wait longer than `critical-wait` (by default \
            `deadlock_timeout`'s 1 s) makes the finding critical; trees whose longest wait is \
            shorter than `min-wait` (default 0: none) are left out, for snapshots taken often. \
            Waits shorter than the time between snapshots are invisible here: `log_lock_waits = on` \
            logs every wait longer than `deadlock_timeout`.
            """,
        manual: "https://www.postgresql.org/docs/current/explicit-locking.html",
        parameters: [
            RuleParameter("critical-wait", .duration(seconds: 1), "A wait longer than this makes the finding critical."),
            RuleParameter("min-wait", .duration(seconds: 0), "Trees whose longest wait is shorter are not reported."),
        ],
        examples: [
            RuleExample("a transaction idle after LOCK TABLE blocks a reader for 12 s",
                        .triggers([.session(pid: 100)]), snapshot: Example.snapshot(
                sessions: [
                    idleInTransaction(100, idleFor: 240, query: "LOCK TABLE t IN ACCESS EXCLUSIVE MODE"),
                    waiting(200, for: 12, query: "SELECT * FROM t"),
                ],
                lockWaits: [
                    LockWait(pid: 200, lockType: "relation", mode: "AccessShareLock",
                             relation: QualifiedName(schema: "public", name: "t"), waitStart: Example.ago(seconds: 12),
                             blockingPids: [100], blockerModes: ["AccessExclusiveLock"]),
                ])),
            RuleExample("a migration queued behind a long report stalls two readers: one finding, on the report",
                        .triggers([.session(pid: 100)]), snapshot: Example.snapshot(
                sessions: [
                    SessionInfo(pid: 100, database: "app", user: "report", state: "active",
                                transactionStart: Example.ago(seconds: 300), queryStart: Example.ago(seconds: 300),
                                stateChange: Example.ago(seconds: 300), query: "SELECT count(*) FROM shop.orders"),
                    waiting(200, for: 40, query: "ALTER TABLE shop.orders ADD COLUMN note text"),
                    waiting(300, for: 30, query: "SELECT * FROM shop.orders WHERE id = 1"),
                    waiting(301, for: 20, query: "SELECT * FROM shop.orders WHERE id = 2"),
                ],
                lockWaits: [
                    LockWait(pid: 200, lockType: "relation", mode: "AccessExclusiveLock", relation: orders,
                             waitStart: Example.ago(seconds: 40), blockingPids: [100], blockerModes: ["AccessShareLock"]),
                    LockWait(pid: 300, lockType: "relation", mode: "AccessShareLock", relation: orders,
                             waitStart: Example.ago(seconds: 30), blockingPids: [200]),
                    LockWait(pid: 301, lockType: "relation", mode: "AccessShareLock", relation: orders,
                             waitStart: Example.ago(seconds: 20), blockingPids: [200]),
                ])),
            RuleExample("a prepared transaction (pid 0) holds a row lock", .triggers([.session(pid: 0)]),
                        snapshot: Example.snapshot(
                sessions: [waiting(200, for: 90, query: "UPDATE shop.orders SET status = 'paid' WHERE id = 7")],
                lockWaits: [
                    LockWait(pid: 200, lockType: "transactionid", mode: "ShareLock", waitStart: Example.ago(seconds: 90),
                             blockingPids: [0], blockerModes: ["ExclusiveLock"]),
                ])),
            RuleExample("no lock waits", .passes, snapshot: Example.snapshot(sessions: [
                SessionInfo(pid: 100, database: "app", user: "app", state: "active", transactionStart: Example.ago(seconds: 1),
                            queryStart: Example.ago(seconds: 1), stateChange: Example.ago(seconds: 1), query: "SELECT 1"),
            ])),
            RuleExample("a lock granted between reading pg_locks and pg_blocking_pids (no blocker left)", .passes,
                        snapshot: Example.snapshot(
                sessions: [waiting(200, for: 0.2, query: "SELECT * FROM t")],
                lockWaits: [
                    LockWait(pid: 200, lockType: "relation", mode: "AccessShareLock",
                             relation: QualifiedName(schema: "public", name: "t"), waitStart: Example.ago(seconds: 0.2),
                             blockingPids: []),
                ])),
            RuleExample("a 0.3 s wait with min-wait = 1s", .passes, parameters: ["min-wait": "1s"], snapshot: Example.snapshot(
                sessions: [
                    SessionInfo(pid: 100, database: "app", user: "app", state: "active", transactionStart: Example.ago(seconds: 2),
                                queryStart: Example.ago(seconds: 1), stateChange: Example.ago(seconds: 1),
                                query: "UPDATE shop.orders SET status = 'paid' WHERE id = 7"),
                    waiting(200, for: 0.3, query: "UPDATE shop.orders SET status = 'sent' WHERE id = 7"),
                ],
                lockWaits: [
                    LockWait(pid: 200, lockType: "transactionid", mode: "ShareLock", waitStart: Example.ago(seconds: 0.3),
                             blockingPids: [100], blockerModes: ["ExclusiveLock"]),
                ])),
            RuleExample.withoutSource("lock_waits", state: .failed, "lock waits not collected"),
        ]
    )

    static let orders = QualifiedName(schema: "shop", name: "orders")

    static func idleInTransaction(_ pid: Int32, idleFor seconds: Double, query: String) -> SessionInfo {
        SessionInfo(pid: pid, database: "app", user: "app", applicationName: "worker", state: "idle in transaction",
                    transactionStart: Example.ago(seconds: seconds + 1), queryStart: Example.ago(seconds: seconds),
                    stateChange: Example.ago(seconds: seconds), xidAge: 12, xminAge: 12, query: query)
    }

    static func waiting(_ pid: Int32, for seconds: Double, query: String) -> SessionInfo {
        SessionInfo(pid: pid, database: "app", user: "app", state: "active", transactionStart: Example.ago(seconds: seconds),
                    queryStart: Example.ago(seconds: seconds), stateChange: Example.ago(seconds: seconds),
                    waitEventType: "Lock", waitEvent: "relation", query: query)
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        guard !snapshot.lockWaits.isEmpty else { return [] }
        let criticalWait = context.parameters.seconds("critical-wait")
        let minWait = context.parameters.seconds("min-wait")
        let now = snapshot.collectedAt
        let sessions = SessionKind.byPid(snapshot.sessions)
        let graph = BlockingGraph(lockWaits: snapshot.lockWaits, sessions: snapshot.sessions, at: now)
        let clients = snapshot.sessions.filter(SessionKind.countsAsClient).count
        return graph.trees.compactMap { tree in
            let longest = tree.longestWaitSeconds
            if minWait > 0, let longest, longest < minWait { return nil }
            return finding(tree, root: sessions[tree.root], sessions: sessions, clients: clients,
                           critical: (longest ?? 0) > criticalWait, snapshot: snapshot)
        }
    }

    /// One root blocker with every session queued behind it.
    static func finding(
        _ tree: BlockingGraph.Tree, root: SessionInfo?, sessions: [Int32: SessionInfo], clients: Int, critical: Bool,
        snapshot: Snapshot
    ) -> Finding {
        let waits = Waits(tree)
        let now = snapshot.collectedAt
        let blocked = tree.blockedPids.count
        let score = Double(blocked) / Double(max(clients, blocked, 1))
        return Finding(
            rule: description.id, severity: critical ? .critical : .warning, target: .session(pid: tree.root),
            message: message(tree, waits, root: root, now: now),
            evidence: waitEvidence(tree, waits, sessions: sessions) + (root.map { rootEvidence($0, now: now) } ?? []),
            remediations: remediations(tree, waits, root: root, snapshot: snapshot),
            impact: Impact(score: score, summary: "\(blocked) of \(max(clients, blocked)) client sessions blocked"),
            notes: notes(tree, waits))
    }

    /// What the sessions queued behind one root blocker wait for, and for how long.
    private struct Waits {
        /// The locks of the sessions waiting on the root itself.
        let directLocks: [LockWait]
        /// The modes they request, and the modes the root holds against them (sorted).
        let requested: [String]
        let held: [String]
        let lockTypes: [String]
        /// Every relation locked in the tree, quoted.
        let relations: [String]
        let longest: Double?
        /// Whether some wait is measured from the waiter's last state change (before PostgreSQL 14).
        let approximate: Bool
        /// Whether some session in the tree waits for an ACCESS EXCLUSIVE lock (a migration, typically).
        let queuesAccessExclusive: Bool

        init(_ tree: BlockingGraph.Tree) {
            directLocks = tree.directWaiters.flatMap(\.locks)
            let allLocks = tree.waiters.flatMap(\.locks)
            requested = unique(directLocks.map(\.mode))
            held = unique(directLocks.flatMap(\.blockerModes)).sorted()
            lockTypes = unique(directLocks.map(\.lockType))
            relations = unique(allLocks.compactMap(\.relation).map { SQLQuoting.qualified($0) })
            longest = tree.longestWaitSeconds
            approximate = tree.waiters.contains { $0.waitIsApproximate }
            queuesAccessExclusive = allLocks.contains { $0.mode == "AccessExclusiveLock" }
        }
    }

    /// Who waits, how long, for what; then what the root is doing.
    private static func message(
        _ tree: BlockingGraph.Tree, _ waits: Waits, root: SessionInfo?, now: Timestamp
    ) -> String {
        let blocked = tree.blockedPids
        var message = "pid \(tree.root) blocks \(blocked.count == 1 ? "1 session" : "\(blocked.count) sessions")"
            + " (pid\(blocked.count == 1 ? "" : "s") \(list(blocked))"
            + (tree.depth > 1 ? "; \(tree.depth) levels deep)" : ")")
        if let longest = waits.longest {
            message += ", waiting up to \(waits.approximate ? "about " : "")\(waitText(longest))"
        }
        message += " for "
            + lockPhrase(requested: waits.requested, lockTypes: waits.lockTypes, locks: waits.directLocks, held: waits.held)
            + "."
        return message + " " + rootSentence(tree, root: root, now: now)
    }

    /// The tree's shape, the locks, the longest wait and its statement, the cycle if any.
    private static func waitEvidence(
        _ tree: BlockingGraph.Tree, _ waits: Waits, sessions: [Int32: SessionInfo]
    ) -> [Evidence] {
        let blocked = tree.blockedPids
        var evidence: [Evidence] = [
            Evidence("rootPid", "root blocker", .count(Int64(tree.root))),
            Evidence("blockedPids", "blocked pids", .list(blocked.map(String.init))),
            Evidence("blockedCount", "blocked sessions", .count(Int64(blocked.count))),
            Evidence("depth", "depth", .count(Int64(tree.depth))),
            Evidence("lockMode", "requested mode", .text(waits.requested.joined(separator: ", "))),
            Evidence("lockType", "lock type", .text(waits.lockTypes.joined(separator: ", "))),
        ]
        if !waits.held.isEmpty { evidence.append(Evidence("heldModes", "held modes", .list(waits.held))) }
        if !waits.relations.isEmpty {
            evidence.append(Evidence("relation", "relation", .text(waits.relations.joined(separator: ", "))))
        }
        if let longest = waits.longest {
            evidence.append(Evidence("longestWaitMs", "longest wait", .milliseconds(longest * 1000)))
            if waits.approximate {
                evidence.append(Evidence("waitIsApproximate", "wait measured from state_change", .flag(true)))
            }
        }
        let waited = tree.waiters.first { $0.waitSeconds == waits.longest && waits.longest != nil }
        if let statement = SessionKind.statement(waited.flatMap { sessions[$0.pid]?.query }) {
            evidence.append(Evidence("waitingQuery", "longest waiter's statement", .text(statement)))
        }
        if tree.isCycle { evidence.append(Evidence("cyclePids", "wait cycle", .list(tree.cycle.map(String.init)))) }
        return evidence
    }

    /// The root session: its state, transaction age, idle time, statement, user, application and xmin age.
    private static func rootEvidence(_ root: SessionInfo, now: Timestamp) -> [Evidence] {
        var evidence: [Evidence] = []
        if let state = root.state { evidence.append(Evidence("rootState", "root state", .text(state))) }
        if let age = SessionKind.seconds(since: root.transactionStart, at: now) {
            evidence.append(Evidence("rootTransactionAgeMs", "root transaction age", .milliseconds(age * 1000)))
        }
        if SessionKind.isIdleInTransaction(root), let idle = SessionKind.seconds(since: root.stateChange, at: now) {
            evidence.append(Evidence("rootIdleMs", "root idle for", .milliseconds(idle * 1000)))
        }
        if let statement = SessionKind.statement(root.query) {
            evidence.append(Evidence("rootQuery", "root statement", .text(statement)))
        }
        if let user = root.user { evidence.append(Evidence("rootUser", "root user", .text(user))) }
        if let application = root.applicationName, !application.isEmpty {
            evidence.append(Evidence("rootApplication", "root application", .text(application)))
        }
        if let xminAge = root.xminAge { evidence.append(Evidence("rootXminAge", "root xmin age", .count(xminAge))) }
        return evidence
    }

    /// Ending the blocker, then a tighter idle-in-transaction timeout for the database when the
    /// root sits idle in a transaction, and a lock_timeout for migrations when one waits.
    private static func remediations(
        _ tree: BlockingGraph.Tree, _ waits: Waits, root: SessionInfo?, snapshot: Snapshot
    ) -> [Remediation] {
        var remediations = [endBlocker(tree, root: root)]
        if let root, SessionKind.isIdleInTransaction(root), SessionKind.idleTimeoutIsLooser(than: 60, in: snapshot) {
            remediations.append(.alterDatabase(
                database: root.database ?? snapshot.server.database, name: "idle_in_transaction_session_timeout",
                value: SessionKind.timeoutValue(seconds: 60)))
        }
        if waits.queuesAccessExclusive {
            remediations.append(.manual(
                "run schema changes (migrations) with a short lock_timeout, e.g. SET lock_timeout = '5s', and retry on "
                    + "failure: a waiting ALTER TABLE queues every later query on the table behind it"))
        }
        return remediations
    }

    /// How to end what the root holds: a prepared transaction, a cycle, an idle transaction, an
    /// idle session's advisory locks, or a running statement.
    private static func endBlocker(_ tree: BlockingGraph.Tree, root: SessionInfo?) -> Remediation {
        let cancel = StatementSQL.inline(StatementSQL.cancelBackend(tree.root))
        let terminate = StatementSQL.inline(StatementSQL.terminateBackend(tree.root))
        if tree.isPreparedTransaction {
            return .manual(
                "find the prepared transaction in pg_prepared_xacts (gid, owner, prepared time) and finish it with "
                    + "COMMIT PREPARED or ROLLBACK PREPARED; then find out why the transaction manager left it behind")
        }
        if tree.isCycle {
            return .manual(
                "the deadlock detector should cancel one of pids \(list(tree.cycle)) within deadlock_timeout; "
                    + "if the cycle persists, end one of them with \(cancel)")
        }
        if let root, SessionKind.isIdleInTransaction(root) {
            return .manual(
                "end the blocker's transaction from the application, or as a last resort \(terminate) "
                    + "(pg_cancel_backend does nothing to a session that is idle in transaction)")
        }
        if root?.state == SessionKind.idle {
            return .manual(
                "an idle session can only hold session-level locks (pg_advisory_lock): release them from the application "
                    + "(pg_advisory_unlock), or as a last resort \(terminate)")
        }
        return .manual(
            "end the blocker's transaction from the application, or as a last resort \(cancel) "
                + "(cancels its statement) / \(terminate) (ends its session)")
    }

    /// Prepared transactions and approximate waits explained, and what the snapshot cannot see.
    private static func notes(_ tree: BlockingGraph.Tree, _ waits: Waits) -> [String] {
        var notes: [String] = []
        if tree.isPreparedTransaction {
            notes.append("pid 0 is a prepared transaction: it survives restarts and holds its locks until COMMIT PREPARED or ROLLBACK PREPARED.")
        }
        if waits.approximate {
            notes.append("Without pg_locks.waitstart (PostgreSQL 14+), waits are measured from the waiter's last state change, which can be earlier than the wait itself.")
        }
        notes.append("pg_blocking_pids() also names sessions merely queued ahead with a conflicting request; waits shorter than the time between snapshots are not seen here (log_lock_waits = on logs them).")
        return notes
    }

    /// `AccessShareLock on public.t (held as AccessExclusiveLock)`, `a row lock (ShareLock on a transaction id)`.
    static func lockPhrase(requested: [String], lockTypes: [String], locks: [LockWait], held: [String]) -> String {
        let modes = requested.joined(separator: " / ")
        let relations = unique(locks.compactMap(\.relation).map { SQLQuoting.qualified($0) })
        var phrase: String
        switch lockTypes.first {
        case "transactionid" where lockTypes.count == 1:
            phrase = "a row lock (\(modes) on the blocker's transaction id)"
        case "tuple" where lockTypes.count == 1:
            phrase = "a row lock (\(modes) on a tuple" + (relations.isEmpty ? ")" : " of \(relations.joined(separator: ", ")))")
        case "advisory" where lockTypes.count == 1:
            phrase = "an advisory lock (\(modes))"
        default:
            phrase = modes.isEmpty ? "a lock" : modes
            if !relations.isEmpty { phrase += " on \(relations.joined(separator: ", "))" }
            else if let type = lockTypes.first, type != "relation" { phrase += " (\(lockTypes.joined(separator: ", ")) lock)" }
        }
        if !held.isEmpty { phrase += ", held as \(held.joined(separator: " / "))" }
        return phrase
    }

    static func rootSentence(_ tree: BlockingGraph.Tree, root: SessionInfo?, now: Timestamp) -> String {
        let pid = tree.root
        if tree.isPreparedTransaction {
            return "pid 0 is a prepared transaction: find it in pg_prepared_xacts and finish it with COMMIT PREPARED or ROLLBACK PREPARED."
        }
        if tree.isCycle {
            return "pids \(list(tree.cycle)) wait for each other, a cycle the deadlock detector has not broken yet."
        }
        guard let root else { return "pid \(pid) is no longer in pg_stat_activity (it may have ended since)." }
        let statement = SessionKind.statement(root.query).map { "`\($0)`" }
        let transactionAge = SessionKind.seconds(since: root.transactionStart, at: now)
        switch root.state {
        case let state? where SessionKind.isIdleInTransaction(root):
            let idle = SessionKind.seconds(since: root.stateChange, at: now)
            var sentence = "pid \(pid) is \(state)"
            if let idle { sentence += " and has been for \(Format.age(seconds: idle))" }
            if let statement { sentence += "; its last statement was \(statement)" }
            return sentence + "."
        case let state?:
            var sentence = "pid \(pid) is \(state)"
            if let transactionAge { sentence += " in a transaction open for \(Format.age(seconds: transactionAge))" }
            if let statement { sentence += state == SessionKind.active ? ", running \(statement)" : "; its last statement was \(statement)" }
            return sentence + "."
        case nil:
            return "pid \(pid)'s state and statement are hidden from this role (grant pg_read_all_stats to see them)."
        }
    }

    /// `350.0 ms` below a second, `12 s`, `4 min` above.
    static func waitText(_ seconds: Double) -> String {
        seconds < 1 ? Format.duration(ms: seconds * 1000) : Format.age(seconds: seconds)
    }

    static func list(_ pids: [Int32], limit: Int = 10) -> String {
        let shown = pids.prefix(limit).map(String.init).joined(separator: ", ")
        return pids.count > limit ? shown + " and \(pids.count - limit) more" : shown
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
