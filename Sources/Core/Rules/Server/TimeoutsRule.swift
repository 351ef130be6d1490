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
            is then not judged. idle_in_transaction_session_timeout is safe \
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
            RuleExample.withoutSource("settings", state: .failed, "settings not read"),
        ]
    )

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
        let snapshot = context.snapshot
        var findings: [Finding] = []
        if let setting = databaseSetting(snapshot, "statement_timeout"), setting.milliseconds == 0 {
            let value = ConfigValue.duration(ms: context.parameters.milliseconds("statement-timeout"))
            let roles = applicationRoles(snapshot)
            let example = StatementSQL.inline(StatementSQL.alterRoleSet(roles.first ?? "app_role", "statement_timeout", value))
            var advice = "Set statement_timeout for each application role, starting at \(value): \(example)"
            if !roles.isEmpty {
                advice += " (roles seen running statements or connected: \(roles.map { SQLQuoting.identifier($0) }.joined(separator: ", ")))"
            }
            advice += ". Leave it unset for the roles that run migrations, maintenance or reports"
            var evidence = [
                Evidence("value", "statement_timeout", .text(setting.value)),
                Evidence("suggested", "suggested per role", .text(value)),
            ]
            if !roles.isEmpty { evidence.append(Evidence("roles", "application roles seen", .list(roles))) }
            findings.append(Finding(
                rule: description.id, severity: .info, target: .setting(setting.name),
                message: "statement_timeout is 0: a runaway query runs until someone cancels it, holding its locks "
                    + "and a snapshot that keeps VACUUM from removing dead rows.",
                evidence: evidence, remediations: [.manual(advice)],
                impact: Impact(score: 0, summary: "no limit on statement time"),
                notes: ["Not with ALTER SYSTEM or ALTER DATABASE: a limit for everyone also cancels migrations, index builds, manual VACUUM and long reports."]))
        }
        if let setting = databaseSetting(snapshot, "idle_in_transaction_session_timeout"), setting.milliseconds == 0 {
            let value = ConfigValue.duration(ms: context.parameters.milliseconds("idle-in-transaction-timeout"))
            findings.append(Finding(
                rule: description.id, severity: .info, target: .setting(setting.name),
                message: "idle_in_transaction_session_timeout is 0: a session that opens a transaction and stops "
                    + "keeps its locks and holds back VACUUM until it disconnects.",
                evidence: [
                    Evidence("value", "idle_in_transaction_session_timeout", .text(setting.value)),
                    Evidence("suggested", "suggested for the database", .text(value)),
                ],
                remediations: [.alterDatabase(database: snapshot.server.database, name: setting.name, value: value)],
                impact: Impact(score: 0, summary: "no limit on idle transactions"),
                notes: [
                    "It applies to new sessions; pg_dump turns it off for itself, so backups are not affected.",
                    "A role that legitimately idles inside transactions (interactive work) can get a larger value with ALTER ROLE ... SET.",
                ]))
        }
        return findings
    }
}
