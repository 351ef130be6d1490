import Core
import Model
import Testing

@Suite struct TimeoutsRuleTests {
    @Test func applicationRolesComeFromStatementsAndClientSessionsOfThisDatabase() {
        var nested = Example.statement(3, "SELECT 1", calls: 1, meanMs: 1)
        nested.userName = "nested_only"
        nested.toplevel = false
        var web = Example.statement(2, "SELECT 2", calls: 1, meanMs: 1)
        web.userName = "web"
        var admin = Example.statement(4, "SELECT 3", calls: 1, meanMs: 1)
        admin.userName = "postgres"
        let snapshot = Example.snapshot(
            statements: [Example.statement(1, "SELECT 0", calls: 1, meanMs: 1), web, nested, admin],
            sessions: [
                SessionInfo(pid: 1, database: "app", user: "worker"),
                SessionInfo(pid: 2, database: "other", user: "elsewhere"),
                SessionInfo(pid: 3, database: "app", user: "audit"),
                SessionInfo(pid: 4, database: nil, user: nil, backendType: "autovacuum worker"),
                SessionInfo(pid: 5, database: "app", user: "replicator", backendType: "walsender"),
            ])
        #expect(TimeoutsRule.applicationRoles(snapshot) == ["app", "web", "worker"])
    }

    @Test func idleInTransactionForTheDatabaseStatementTimeoutAsAManualStep() throws {
        let findings = try QueryServerRuleRun.findings(TimeoutsRule.self, Example.snapshot(statements: [
            Example.statement(1, "SELECT * FROM orders WHERE id = $1", calls: 1000, meanMs: 0.2),
        ]))
        #expect(findings.allSatisfy { $0.severity == .info })
        let idle = try #require(findings.first { $0.target == .setting("idle_in_transaction_session_timeout") })
        #expect(idle.remediations == [.alterDatabase(database: "app", name: "idle_in_transaction_session_timeout", value: "1min")])
        let statement = try #require(findings.first { $0.target == .setting("statement_timeout") })
        guard case .manual(let advice)? = statement.remediations.first, statement.remediations.count == 1 else {
            Issue.record("statement_timeout must stay a manual step, got \(statement.remediations)")
            return
        }
        #expect(advice.contains("ALTER ROLE app SET statement_timeout = '30s'"))
        #expect(statement.evidence("roles") == .list(["app"]))
    }

    @Test func withoutApplicationRolesTheAdviceStaysGeneric() throws {
        let f = try #require(try QueryServerRuleRun.findings(TimeoutsRule.self, Example.snapshot()).first { $0.target == .setting("statement_timeout") })
        #expect(f.evidence("roles") == nil)
        #expect(f.remediations.first.map { if case .manual(let text) = $0 { text.contains("app_role") } else { false } } == true)
    }

    /// With pg_db_role_setting collected, each application role is judged by its own value, and
    /// the finding names the role that lacks one.
    @Test func namesTheApplicationRoleWithoutItsOwnTimeout() throws {
        var snapshot = Example.snapshot(
            statements: [Example.statement(1, "SELECT * FROM orders WHERE id = $1", calls: 1000, meanMs: 0.2)],
            sessions: [SessionInfo(pid: 7, database: "app", user: "worker")])
        snapshot.roleSettings = [
            RoleSetting(role: "app", name: "statement_timeout", value: "30s"),
            RoleSetting(database: "app", role: "app", name: "idle_in_transaction_session_timeout", value: "60000"),
            RoleSetting(role: "worker", name: "idle_in_transaction_session_timeout", value: "0"),
        ]
        let findings = try QueryServerRuleRun.findings(TimeoutsRule.self, snapshot)
        let statement = try #require(findings.first { $0.target == .setting("statement_timeout") })
        #expect(statement.evidence("rolesWithout") == .list(["worker"]))
        #expect(statement.evidence("rolesWith") == .list(["app"]))
        #expect(statement.message.hasPrefix("statement_timeout is 0 for role worker"), "\(statement.message)")
        let idle = try #require(findings.first { $0.target == .setting("idle_in_transaction_session_timeout") })
        #expect(idle.evidence("rolesWithout") == .list(["worker"]))
        // Every role covered: nothing to report, although the server's values are 0.
        snapshot.roleSettings?.append(RoleSetting(database: "app", role: "worker", name: "statement_timeout", value: "2min"))
        snapshot.roleSettings?.append(RoleSetting(database: "app", name: "idle_in_transaction_session_timeout", value: "1min"))
        snapshot.roleSettings?.removeAll { $0.role == "worker" && $0.name == "idle_in_transaction_session_timeout" }
        #expect(try QueryServerRuleRun.findings(TimeoutsRule.self, snapshot).isEmpty)
    }

    /// Login precedence: (database, role), (every database, role), (database, every role), (every, every).
    @Test func roleSettingsFollowLoginPrecedence() {
        var snapshot = Example.snapshot(statements: [Example.statement(1, "SELECT 1", calls: 10, meanMs: 1)])
        snapshot.roleSettings = [
            RoleSetting(name: "search_path", value: "everyone"),
            RoleSetting(database: "app", name: "search_path", value: "app_db"),
            RoleSetting(role: "app", name: "search_path", value: "app_role, public"),
            RoleSetting(database: "other", role: "app", name: "search_path", value: "elsewhere"),
        ]
        let settings = RoleSettings(snapshot)
        #expect(RoleSettings.workloadRole(snapshot) == "app")
        #expect(settings.value("search_path", role: "app") == "app_role, public")
        #expect(settings.value("search_path", role: "web") == "app_db")
        snapshot.roleSettings?.append(RoleSetting(database: "app", role: "app", name: "search_path", value: "mine"))
        #expect(RoleSettings(snapshot).value("search_path", role: "app") == "mine")
        #expect(RoleSettings(snapshot).milliseconds("statement_timeout", role: "app") == nil)
    }
}
