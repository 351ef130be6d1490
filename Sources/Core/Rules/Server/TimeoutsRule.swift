import Model
import Planner

/// No statement or idle-in-transaction timeout: a runaway query or a forgotten transaction runs forever.
public enum TimeoutsRule: Rule {
    public static let description = RuleDescription(
        id: "timeouts",
        title: "No statement or idle-in-transaction timeout",
        category: .server,
        severity: .info,
        requirements: [.source("settings")],
        summary: "statement_timeout or idle_in_transaction_session_timeout is 0 (off) for the database: advice to set them per role or per database, never server-wide for statement_timeout.",
        rationale: """
            With both timeouts at 0 (the default), a runaway query or a session that opened a \
            transaction and stopped (a crashed worker, a forgotten psql) holds its locks and its \
            snapshot until someone notices; the snapshot keeps VACUUM from removing dead rows in \
            every table. The settings are read as the auditing session started, so a value set for \
            the database counts; a value set for the auditing role itself (source `user` or \
            `database user`, as pgadvisor's role recipe does) hides the database's, and the setting \
            is then not judged. When `pg_db_role_setting` was collected, each application role is \
            judged by the value it gets at login (ALTER ROLE ... IN DATABASE, ALTER ROLE, ALTER \
            DATABASE, in that order, else the server's): the finding names the roles that lack a \
            timeout, and none is reported when every role has its own. idle_in_transaction_session_timeout is safe \
            database-wide (`idle-in-transaction-timeout`, 1 min, as a start): pg_dump turns it off for \
            itself. statement_timeout is not: server- or database-wide it also cancels migrations, \
            index builds, manual VACUUM and long reports, so the advice is per application role \
            (`statement-timeout`, 30 s, as a start) and stays a manual step naming the roles seen \
            running statements or connected (the auditing role and `postgres`, by convention the \
            administrator, left out). Both findings are info: they are risks, not costs.
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT",
        parameters: [
            RuleParameter("statement-timeout", .duration(seconds: 30), "The statement_timeout to suggest for application roles."),
            RuleParameter("idle-in-transaction-timeout", .duration(seconds: 60), "The idle_in_transaction_session_timeout to suggest for the database."),
        ],
        examples: [
            RuleExample("both timeouts at their default 0", .triggers([
                .setting("statement_timeout"), .setting("idle_in_transaction_session_timeout"),
            ]), snapshot: Example.snapshot(statements: [
                Example.statement(901, "SELECT * FROM orders WHERE id = $1", calls: 1000, meanMs: 0.2),
            ])),
            RuleExample("only statement_timeout set (for the database)", .triggers([.setting("idle_in_transaction_session_timeout")]),
                        snapshot: Example.snapshot(settings: [
                Example.setting("statement_timeout", "30000", unit: "ms", context: "user"),
            ])),
            RuleExample("both set", .passes, snapshot: Example.snapshot(settings: [
                Example.setting("statement_timeout", "30000", unit: "ms", context: "user"),
                Example.setting("idle_in_transaction_session_timeout", "60000", unit: "ms", context: "user"),
            ])),
            RuleExample("statement_timeout set for the auditing role only: the database's value is hidden",
                        .triggers([.setting("idle_in_transaction_session_timeout")]), snapshot: Example.snapshot(settings: [
                Setting(name: "statement_timeout", value: "60000", unit: "ms", context: "user", source: "user"),
            ])),
            RuleExample("role app has its own statement_timeout (ALTER ROLE), role worker has none",
                        .triggers([.setting("statement_timeout"), .setting("idle_in_transaction_session_timeout")]),
                        snapshot: rolesExample([RoleSetting(role: "app", name: "statement_timeout", value: "30s")])),
            RuleExample("every application role has both timeouts of its own", .passes, snapshot: rolesExample([
                RoleSetting(role: "app", name: "statement_timeout", value: "30s"),
                RoleSetting(database: "app", role: "worker", name: "statement_timeout", value: "120000"),
                RoleSetting(database: "app", name: "idle_in_transaction_session_timeout", value: "1min"),
            ])),
            RuleExample.withoutSource("settings", state: .failed, "settings not read"),
        ]
    )

    /// Roles `app` (running statements) and `worker` (connected), with `settings` from pg_db_role_setting.
    static func rolesExample(_ settings: [RoleSetting]) -> Snapshot {
        var snapshot = Example.snapshot(
            statements: [Example.statement(901, "SELECT * FROM orders WHERE id = $1", calls: 1000, meanMs: 0.2)],
            sessions: [SessionInfo(pid: 7, database: "app", user: "worker")])
        snapshot.roleSettings = settings
        return snapshot
    }

    /// Roles that ran statements in this database or are connected to it as client backends,
    /// sorted, without the auditing role and `postgres`.
    public static func applicationRoles(_ snapshot: Snapshot) -> [String] {
        var roles = Set<String>()
        for statement in snapshot.statements where statement.toplevel != false {
            if let user = statement.userName { roles.insert(user) }
        }
        for session in snapshot.sessions
        where (session.backendType ?? "client backend") == "client backend"
            && (session.database ?? snapshot.server.database) == snapshot.server.database {
            if let user = session.user { roles.insert(user) }
        }
        roles.remove(snapshot.role.name)
        roles.remove("postgres")
        return roles.sorted()
    }

    /// The setting when its value is the database's or the server's, nil when it is absent or
    /// set for the auditing role itself (which hides the database's value).
    static func databaseSetting(_ snapshot: Snapshot, _ name: String) -> Setting? {
        guard let setting = snapshot.setting(name), !roleSources.contains(setting.source) else { return nil }
        return setting
    }

    static let roleSources: Set<String> = ["user", "database user", "session", "client"]

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        [statementTimeoutFinding(context), idleTimeoutFinding(context)].compactMap { $0 }
    }

    /// Which application roles run without a value of their own for `name`, and the value the
    /// others have: nil when no role is judged (no role settings collected or no role seen), and
    /// the database's value decides.
    static func rolesLacking(_ name: String, _ snapshot: Snapshot) -> (lacking: [String], covered: [String])? {
        let settings = RoleSettings(snapshot)
        let roles = applicationRoles(snapshot)
        guard settings.collected, !roles.isEmpty else { return nil }
        let fallback = databaseSetting(snapshot, name)?.milliseconds
        let lacking = roles.filter { (settings.milliseconds(name, role: $0) ?? fallback) == 0 }
        return (lacking, roles.filter { !lacking.contains($0) })
    }

    /// statement_timeout: for the application roles, per role, never database-wide.
    static func statementTimeoutFinding(_ context: RuleContext) -> Finding? {
        let snapshot = context.snapshot
        let perRole = rolesLacking("statement_timeout", snapshot)
        guard let setting = databaseSetting(snapshot, "statement_timeout") ?? snapshot.setting("statement_timeout"),
              perRole.map({ !$0.lacking.isEmpty }) ?? (databaseSetting(snapshot, "statement_timeout")?.milliseconds == 0)
        else { return nil }
        let value = ConfigValue.duration(ms: context.parameters.milliseconds("statement-timeout"))
        let roles = perRole?.lacking ?? applicationRoles(snapshot)
        let quoted = roles.map { SQLQuoting.identifier($0) }.joined(separator: ", ")
        let example = StatementSQL.inline(StatementSQL.alterRoleSet(roles.first ?? "app_role", "statement_timeout", value))
        var advice = "Set statement_timeout for each application role, starting at \(value): \(example)"
        if !roles.isEmpty {
            advice += perRole == nil ? " (roles seen running statements or connected: \(quoted))" : " (roles without one: \(quoted))"
        }
        advice += ". Leave it unset for the roles that run migrations, maintenance or reports"
        var evidence = [
            Evidence("value", "statement_timeout", .text(setting.value)),
            Evidence("suggested", "suggested per role", .text(value)),
        ]
        if let perRole {
            evidence.append(Evidence("rolesWithout", "application roles without a statement_timeout", .list(perRole.lacking)))
            if !perRole.covered.isEmpty { evidence.append(Evidence("rolesWith", "roles with their own", .list(perRole.covered))) }
        } else if !roles.isEmpty {
            evidence.append(Evidence("roles", "application roles seen", .list(roles)))
        }
        let who = perRole.map { "statement_timeout is 0 for role\($0.lacking.count == 1 ? "" : "s") \(quoted)" }
            ?? "statement_timeout is 0"
        return Finding(
            rule: description.id, severity: .info, target: .setting("statement_timeout"),
            message: who + ": a runaway query runs until someone cancels it, holding its locks "
                + "and a snapshot that keeps VACUUM from removing dead rows.",
            evidence: evidence, remediations: [.manual(advice)],
            impact: Impact(score: 0, summary: "no limit on statement time"),
            notes: ["Not with ALTER SYSTEM or ALTER DATABASE: a limit for everyone also cancels migrations, index builds, manual VACUUM and long reports."])
    }

    /// idle_in_transaction_session_timeout: database-wide, unless every application role has its own.
    static func idleTimeoutFinding(_ context: RuleContext) -> Finding? {
        let snapshot = context.snapshot
        let name = "idle_in_transaction_session_timeout"
        let perRole = rolesLacking(name, snapshot)
        guard let setting = databaseSetting(snapshot, name) ?? snapshot.setting(name),
              perRole.map({ !$0.lacking.isEmpty }) ?? (databaseSetting(snapshot, name)?.milliseconds == 0)
        else { return nil }
        let value = ConfigValue.duration(ms: context.parameters.milliseconds("idle-in-transaction-timeout"))
        var evidence = [
            Evidence("value", name, .text(setting.value)),
            Evidence("suggested", "suggested for the database", .text(value)),
        ]
        var who = "idle_in_transaction_session_timeout is 0"
        if let perRole {
            evidence.append(Evidence("rolesWithout", "application roles without one", .list(perRole.lacking)))
            who += " for role\(perRole.lacking.count == 1 ? "" : "s") " + perRole.lacking.map { SQLQuoting.identifier($0) }.joined(separator: ", ")
        }
        return Finding(
            rule: description.id, severity: .info, target: .setting(name),
            message: who + ": a session that opens a transaction and stops "
                + "keeps its locks and holds back VACUUM until it disconnects.",
            evidence: evidence,
            remediations: [.alterDatabase(database: snapshot.server.database, name: name, value: value)],
            impact: Impact(score: 0, summary: "no limit on idle transactions"),
            notes: [
                "It applies to new sessions; pg_dump turns it off for itself, so backups are not affected.",
                "A role that legitimately idles inside transactions (interactive work) can get a larger value with ALTER ROLE ... SET.",
            ])
    }
}
