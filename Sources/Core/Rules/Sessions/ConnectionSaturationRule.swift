import Model

/// Client connections close to the number of slots ordinary roles may use.
public enum ConnectionSaturationRule: Rule {
    public static let description = RuleDescription(
        id: "connection-saturation",
        title: "Connection saturation",
        category: .sessions,
        severity: .warning,
        requirements: [.source("sessions"), .source("settings")],
        summary: "Client connections above `warning-usage` (80 %) of the usable slots (max_connections minus the reserved ones); critical above `critical-usage` (90 %).",
        rationale: """
            When every slot is taken, new connections fail with "too many clients already" (or \
            "remaining connection slots are reserved"), which applications see as an outage. The \
            rule counts client backends in `pg_stat_activity` across all databases \
            (`backend_type = 'client backend'`); autovacuum, walsenders, parallel and background \
            workers have slots of their own and are not counted, nor is the session pgadvisor \
            collects with. Rows hidden from a role without `pg_read_all_stats` show no backend type; \
            those with a user name are counted as clients (background processes have none). The \
            count is compared with the usable slots, `max_connections − superuser_reserved_connections \
            − reserved_connections` (the last from PostgreSQL 16; 0 before). When more than \
            `pooler-idle-share` (50 %) of the connections are idle, the fix is a connection pooler, \
            not a bigger max_connections: every slot costs memory whether used or not, and hundreds \
            of active backends contend for locks and CPU. Only when few are idle does the rule also \
            suggest raising max_connections (a restart).
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS",
        parameters: [
            RuleParameter("warning-usage", .ratio(0.8), "Share of usable connection slots in use above which the rule reports."),
            RuleParameter("critical-usage", .ratio(0.9), "Share of usable connection slots in use above which the finding is critical."),
            RuleParameter("pooler-idle-share", .ratio(0.5), "Share of idle connections above which a pooler is the only recommendation."),
        ],
        examples: [
            RuleExample("92 of 97 usable slots taken by busy clients", .triggers([.setting("max_connections")]),
                        snapshot: Example.snapshot(sessions:
                clients(60, state: "active", from: 1000) + clients(20, state: "idle", from: 2000)
                    + clients(12, state: "idle in transaction", from: 3000))),
            RuleExample("85 connections, almost all idle", .triggers([.setting("max_connections")]),
                        snapshot: Example.snapshot(sessions:
                clients(82, state: "idle", from: 1000) + clients(3, state: "active", from: 2000))),
            RuleExample("PostgreSQL 16 with reserved_connections = 10: 80 of 87 usable", .triggers([.setting("max_connections")]),
                        snapshot: Example.snapshot(
                versionNumber: 160_004,
                settings: [Example.setting("reserved_connections", "10", context: "postmaster")],
                sessions: clients(70, state: "active", from: 1000) + clients(10, state: "idle", from: 2000))),
            RuleExample("20 client connections", .passes, snapshot: Example.snapshot(sessions:
                clients(15, state: "idle", from: 1000) + clients(5, state: "active", from: 2000))),
            RuleExample("10 clients beside 85 background processes, which have their own slots", .passes,
                        snapshot: Example.snapshot(sessions:
                clients(10, state: "active", from: 1000)
                    + background(40, type: "parallel worker", from: 2000)
                    + background(25, type: "background worker", from: 3000)
                    + background(10, type: "walsender", from: 4000)
                    + background(10, type: "autovacuum worker", from: 5000))),
            RuleExample.withoutSource("sessions", state: .failed, "sessions not collected"),
        ]
    )

    static func clients(_ count: Int, state: String, from pid: Int32) -> [SessionInfo] {
        (0..<count).map { i in
            SessionInfo(pid: pid + Int32(i), database: "app", user: "app", applicationName: "web", state: state,
                        backendStart: Example.ago(days: 1), stateChange: Example.ago(seconds: 5))
        }
    }

    static func background(_ count: Int, type: String, from pid: Int32) -> [SessionInfo] {
        (0..<count).map { i in
            SessionInfo(pid: pid + Int32(i), database: type == "walsender" ? nil : "app", backendType: type,
                        state: "active", backendStart: Example.ago(seconds: 30), stateChange: Example.ago(seconds: 5))
        }
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        guard let maxConnections = snapshot.number("max_connections"), maxConnections > 0 else {
            throw RuleSkip("max_connections is not in the snapshot: take a new snapshot")
        }
        let warningUsage = context.parameters.ratio("warning-usage")
        let criticalUsage = context.parameters.ratio("critical-usage")
        let poolerIdleShare = context.parameters.ratio("pooler-idle-share")
        let superuserReserved = snapshot.number("superuser_reserved_connections") ?? 0
        let reserved = snapshot.number("reserved_connections") ?? 0
        let usable = max(1, maxConnections - superuserReserved - reserved)

        let clients = snapshot.sessions.filter(SessionKind.countsAsClient)
        let inUse = clients.count
        let usage = Double(inUse) / usable
        guard usage > warningUsage else { return [] }
        let idle = clients.filter { $0.state == SessionKind.idle }.count
        let idleInTransaction = clients.filter(SessionKind.isIdleInTransaction).count
        let active = clients.filter { $0.state == SessionKind.active }.count
        let hidden = clients.filter(SessionKind.isHiddenClient).count
        let idleShare = inUse > 0 ? Double(idle) / Double(inUse) : 0
        let mostlyIdle = idleShare > poolerIdleShare
        let critical = usage > criticalUsage

        let reservedTotal = Int(superuserReserved + reserved)
        var message = "\(Format.count(inUse)) client connections use \(Format.percent(usage)) of the "
            + "\(Format.count(Int(usable))) usable slots (max_connections \(Format.count(Int(maxConnections)))"
            + (reservedTotal > 0 ? " minus \(reservedTotal) reserved)" : ")")
            + "; \(active) active, \(idle) idle, \(idleInTransaction) idle in transaction"
            + (hidden > 0 ? ", \(hidden) hidden" : "") + "."
        if mostlyIdle {
            message += " Most connections are idle: a connection pooler would serve the same clients with far fewer backends."
        } else {
            message += " New connections will fail with \"too many clients\" once the slots are gone."
        }

        var evidence: [Evidence] = [
            Evidence("connectionsInUse", "client connections", .count(Int64(inUse))),
            Evidence("usableConnections", "usable slots", .count(Int64(usable))),
            Evidence("usageRatio", "usage", .ratio(usage)),
            Evidence("maxConnections", "max_connections", .count(Int64(maxConnections))),
            Evidence("superuserReservedConnections", "superuser_reserved_connections", .count(Int64(superuserReserved))),
            Evidence("reservedConnections", "reserved_connections", .count(Int64(reserved))),
            Evidence("activeConnections", "active", .count(Int64(active))),
            Evidence("idleConnections", "idle", .count(Int64(idle))),
            Evidence("idleInTransactionConnections", "idle in transaction", .count(Int64(idleInTransaction))),
            Evidence("idleShare", "idle share", .ratio(idleShare)),
        ]
        if hidden > 0 { evidence.append(Evidence("hiddenConnections", "hidden from this role", .count(Int64(hidden)))) }

        var remediations: [Remediation] = [
            .manual("put a connection pooler (PgBouncer in transaction mode, or the application's pool sized to the "
                + "work actually done) in front of the server, and close idle connections on the client side"),
        ]
        if !mostlyIdle {
            // Room for today's load at a comfortable share of the slots, rounded up to ten.
            let target = max(0.5, warningUsage * 0.85)
            let needed = (Double(inUse) / target).rounded(.up) + superuserReserved + reserved
            let proposed = Int((needed / 10).rounded(.up)) * 10
            if Double(proposed) > maxConnections {
                remediations.append(.alterSystem(name: "max_connections", value: String(proposed), restart: true))
            }
        }

        var notes = [
            "Each slot costs shared memory (lock table, process entries) and each backend its own memory (several MB plus work_mem per sort or hash): raise max_connections only with the memory to back it.",
            "The session pgadvisor collected with is not counted; superusers may also use the reserved slots.",
        ]
        if hidden > 0 {
            notes.append("\(hidden) sessions of other roles are hidden from \(snapshot.role.name) (no pg_read_all_stats): they are counted as client connections because they have a user name, and their state is unknown.")
        } else if !snapshot.role.seesAllStatistics {
            notes.append("\(snapshot.role.name) cannot see other roles' session details: the states may be incomplete.")
        }
        return [Finding(
            rule: description.id, severity: critical ? .critical : .warning, target: .setting("max_connections"),
            message: message, evidence: evidence, remediations: remediations,
            impact: Impact(score: min(1, usage), summary: "\(Format.percent(usage)) of usable connection slots in use"),
            notes: notes)]
    }
}
