import Core
import Foundation
import Testing
import TestSupport

/// The audit against real servers: the demo shop with its planted problems, a clean pgbench
/// database, and a session blocked by another.
@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct AuditScenarioTests {
    /// One finding of the JSON report.
    struct Finding: Sendable {
        var rule: String
        var severity: String
        var target: String
        var message: String
        /// Evidence values as text (`[1, 2]` for lists).
        var evidence: [String: String]
        var sql: [String]
        var notes: [String]
    }

    static func audit(_ database: String, _ extra: [String] = []) throws -> (findings: [Finding], skipped: [String: String], status: Int32) {
        let r = try CLI.run(["audit", TestServer.uri(database), "--format", "json"] + extra)
        #expect(r.status == 0 || r.status == 2, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        let findings = try #require(object["findings"] as? [[String: Any]]).map { f in
            Finding(
                rule: f["rule"] as? String ?? "", severity: f["severity"] as? String ?? "",
                target: f["target"] as? String ?? "", message: f["message"] as? String ?? "",
                evidence: (f["evidence"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
                sql: (f["actions"] as? [[String: Any]] ?? []).compactMap { $0["sql"] as? String }.filter { !$0.isEmpty },
                notes: f["notes"] as? [String] ?? [])
        }
        var skipped: [String: String] = [:]
        for s in object["skipped"] as? [[String: String]] ?? [] { skipped[s["rule"] ?? ""] = s["reason"] }
        return (findings, skipped, r.status)
    }

    static func category(of rule: String) -> RuleCategory? {
        RuleRegistry.rule(id: rule)?.description.category
    }

    // MARK: The demo shop

    static let demoAudit: Result<(findings: [Finding], skipped: [String: String]), any Error> = Result {
        try TestServer.freshDatabase("pgadvisor_shop")
        try PostgresTools.psql("pgadvisor_shop", ["-f", "sql/demo/schema.sql"])
        try PostgresTools.pgbench("pgadvisor_shop", ["-n", "-f", "sql/demo/workload.sql", "-c", "2", "-j", "2", "-t", "150"])
        let (findings, skipped, _) = try audit("pgadvisor_shop", ["--config", PostgresTools.root.path + "/sql/demo/pgadvisor.toml"])
        return (findings, skipped)
    }

    func demo() throws -> [Finding] { try Self.demoAudit.get().findings }

    /// Rules the demo audit skipped, with the reason.
    func demoSkipped() throws -> [String: String] { try Self.demoAudit.get().skipped }

    /// The finding of `rule` on `target`, also when it was folded into another rule's finding
    /// with the same fix (it is then named in the survivor's notes).
    func finding(_ rule: String, _ target: String) throws -> Finding {
        let all = try demo()
        return try #require(all.first { ($0.rule == rule || $0.notes.contains { $0.hasPrefix("Also reported by \(rule):") }) && $0.target == target },
                            "\(rule) on \(target); found: \(all.map { "\($0.rule) \($0.target)" })")
    }

    @Test func duplicateIndexDropsThePlainCopyAndKeepsTheConstraint() throws {
        let f = try finding("duplicate-index", "shop.products_sku_idx")
        #expect(f.sql.contains("DROP INDEX CONCURRENTLY IF EXISTS shop.products_sku_idx;"))
        #expect(f.message.contains("products_sku_key"))
        #expect(!(try demo()).contains { $0.target == "shop.products_sku_key" })
    }

    /// The demo workload reads neither index: the unused cover goes and its prefix is kept, as
    /// the plan does, so following every fix of the report never drops both.
    @Test func ofTheUnusedCoverAndItsPrefixTheReportDropsOnlyTheCover() throws {
        let f = try finding("redundant-index", "shop.orders_created_at_idx")
        #expect(f.sql.isEmpty, "\(f.sql)")
        #expect(f.evidence["keptBecause"]?.contains("orders_created_at_total_idx") == true, "\(f.evidence)")
        let cover = try finding("unused-index", "shop.orders_created_at_total_idx")
        #expect(cover.sql.contains("DROP INDEX CONCURRENTLY IF EXISTS shop.orders_created_at_total_idx;"))
        // The wider index is never the redundant one.
        #expect(!(try demo()).contains { $0.target == "shop.orders_created_at_total_idx" && $0.rule != "unused-index" })
    }

    /// The foreign key's index is the index advisor's composite, which leads with its column:
    /// one finding, one index, naming both rules.
    @Test func unindexedForeignKeyIsServedByTheAdvisedIndex() throws {
        let all = try demo()
        #expect(!all.contains { $0.rule == "unindexed-foreign-key" && $0.target == "shop.orders.customer_id" })
        let f = try #require(all.first { $0.rule == "missing-index" && $0.target == "shop.orders" }, "\(all.map { "\($0.rule) \($0.target)" })")
        #expect(f.sql == ["CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON shop.orders (customer_id, created_at);"])
        #expect(f.evidence["verified"] == "1" || f.evidence["verified"] == "true", "\(f.evidence)")
        #expect(f.notes.contains { $0.hasPrefix("Also reported by unindexed-foreign-key: foreign key orders_customer_id_fkey") })
    }

    @Test func unusedIndexIsReportedButPrimaryKeysNever() throws {
        let f = try finding("unused-index", "shop.customers_created_at_idx")
        #expect(f.sql.contains("DROP INDEX CONCURRENTLY IF EXISTS shop.customers_created_at_idx;"))
        for other in try demo() where other.rule == "unused-index" {
            #expect(!other.target.hasSuffix("_pkey") && !other.target.hasSuffix("_key"), "\(other.target)")
        }
    }

    @Test func identifiersThatNeedQuotingComeOutExactly() throws {
        let f = try finding("unused-index", #"shop."Order Notes ""Text"" idx""#)
        #expect(f.sql.contains(#"DROP INDEX CONCURRENTLY IF EXISTS shop."Order Notes ""Text"" idx";"#))
    }

    @Test func bloatedTableWithAutovacuumOffIsReportedWithTheCause() throws {
        let bloat = try finding("table-bloat", "shop.sessions")
        #expect(!bloat.sql.isEmpty)
        let disabled = try finding("autovacuum-disabled", "shop.sessions")
        #expect(disabled.sql.contains("ALTER TABLE shop.sessions RESET (autovacuum_enabled);"))
        #expect(["bloat", "dead", "wasted"].contains { disabled.message.lowercased().contains($0) }, "names the consequence: \(disabled.message)")
        // Only the planted table is bloated: busy tables with a few dead rows are not.
        #expect(try demo().filter { $0.rule == "table-bloat" }.map(\.target) == ["shop.sessions"])
    }

    /// `toast.*` options live in the TOAST table's own reloptions: the evidence reads them from
    /// there, and the fix resets both parameters.
    @Test func toastAutovacuumOffIsReadFromTheToastTableAndReset() throws {
        try TestServer.freshDatabase("pgadvisor_toast", setup: [
            "CREATE TABLE documents (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false, toast.autovacuum_enabled = false)",
        ])
        let (findings, _, _) = try Self.audit("pgadvisor_toast")
        let f = try #require(findings.first { $0.rule == "autovacuum-disabled" && $0.target == "public.documents" },
                             "\(findings.map { "\($0.rule) \($0.target)" })")
        #expect(f.evidence["toastAutovacuumEnabled"] == "0" || f.evidence["toastAutovacuumEnabled"] == "false", "\(f.evidence)")
        #expect((f.evidence["storageParameters"] ?? "").contains("toast.autovacuum_enabled=false"), "\(f.evidence)")
        #expect(f.message.contains("its TOAST table"), "\(f.message)")
        #expect(f.sql.contains("ALTER TABLE public.documents RESET (autovacuum_enabled, toast.autovacuum_enabled);"), "\(f.sql)")
    }

    @Test func exactBloatIsMeasuredWithPgstattuple() throws {
        _ = try demo()
        let (findings, _, _) = try Self.audit("pgadvisor_shop", [
            "--exact", "--config", PostgresTools.root.path + "/sql/demo/pgadvisor.toml",
        ])
        let bloat = try #require(findings.first { $0.rule == "table-bloat" && $0.target == "shop.sessions" })
        #expect((bloat.evidence["method"] ?? "").contains("pgstattuple_approx"), "\(bloat.evidence)")
        // The demo deleted 70 % of the rows and never vacuumed: most of the table is dead or free.
        let share = try #require(Double(bloat.evidence["wastedRatio"] ?? ""), "\(bloat.evidence)")
        #expect(share > 0.5)
    }

    @Test func exactBloatWithoutTheExtensionSaysWhy() throws {
        try TestServer.freshDatabase("pgadvisor_noext", setup: ["CREATE TABLE t (id int)"])
        let r = try CLI.run(["audit", TestServer.uri("pgadvisor_noext"), "--exact"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("exact_bloat (missing)"))
        #expect(r.stdout.contains("CREATE EXTENSION pgstattuple"))
    }

    @Test func tableWithoutPrimaryKeyIsReported() throws {
        let f = try finding("missing-primary-key", "shop.audit_log")
        #expect(f.sql.contains { $0.hasPrefix("ALTER TABLE shop.audit_log ADD") })
    }

    @Test func nearlyExhaustedSequenceIsCriticalAndNamesItsColumn() throws {
        let f = try finding("sequence-exhaustion", "shop.tickets_id_seq")
        #expect(f.severity == "critical")
        #expect(f.message.contains("shop.tickets"))
        #expect(f.sql.contains("ALTER TABLE shop.tickets ALTER COLUMN id TYPE bigint;"))
    }

    @Test func failOnExitsTwoOnlyAtOrAboveTheSeverity() throws {
        _ = try demo()
        let config = PostgresTools.root.path + "/sql/demo/pgadvisor.toml"
        let critical = try CLI.run(["audit", TestServer.uri("pgadvisor_shop"), "--config", config, "--fail-on", "critical"])
        #expect(critical.status == 2, "\(critical.stderr)")
        #expect(critical.stderr.isEmpty && critical.stdout.contains("sequence-exhaustion"), "the report is still printed")
        // The sequence is the demo's only critical finding: without that rule nothing reaches critical.
        let quiet = try CLI.run(["audit", TestServer.uri("pgadvisor_shop"), "--config", config, "--fail-on", "critical",
                                 "--set", "sequence-exhaustion.enabled=false"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.contains("Disabled by configuration: sequence-exhaustion"))
    }

    @Test func healthyCacheIsNotFlagged() throws {
        #expect(try demoSkipped()["cache-hit-ratio"] == nil, "cache-hit-ratio must have judged the demo")
        #expect(!(try demo()).contains { $0.rule == "cache-hit-ratio" })
    }

    @Test func findingsAreRankedBySeverity() throws {
        let ranks = ["critical": 2, "warning": 1, "info": 0]
        let severities = try demo().map { ranks[$0.severity] ?? -1 }
        #expect(severities == severities.sorted(by: >))
    }

    // MARK: A clean database

    /// No index or table finding but the info on the keyless, insert-only pgbench_history.
    @Test func cleanPgbenchDatabaseHasNoIndexOrTableFindings() throws {
        // With the extensions, so that missing-index judges the workload instead of being skipped.
        try TestServer.freshDatabase("pgadvisor_clean", setup: ["CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg"])
        try PostgresTools.pgbench("pgadvisor_clean", ["-i", "-s", "10", "-q"])
        try PostgresTools.pgbench("pgadvisor_clean", ["-c", "2", "-j", "2", "-t", "500"])
        let (findings, skipped, _) = try Self.audit("pgadvisor_clean", ["--set", "unused-index.min-stats-age=0"])
        // Every index and table rule judged the database: a skipped rule would find nothing too.
        let skippedStructural = skipped.filter { [.indexes, .tables].contains(Self.category(of: $0.key)) }
        #expect(skippedStructural.isEmpty, "\(skippedStructural)")
        let structural = findings.filter { [.indexes, .tables].contains(Self.category(of: $0.rule)) }
        let history = structural.filter { $0.rule == "missing-primary-key" && $0.target == "public.pgbench_history" }
        #expect(history.count == 1 && history.allSatisfy { $0.severity == "info" },
                "\(history.map { "\($0.severity): \($0.message)" })")
        let others = structural.filter { !($0.rule == "missing-primary-key" && $0.target == "public.pgbench_history") }
        #expect(others.isEmpty, "\(others.map { "\($0.rule) \($0.target): \($0.message)" })")
    }

    // MARK: Locks

    @Test func blockedSessionNamesBothPidsTheModeAndTheRelation() throws {
        try TestServer.freshDatabase("pgadvisor_locks", setup: ["CREATE TABLE accounts (id int PRIMARY KEY, balance int)"])
        let holder = try TestServer.admin("pgadvisor_locks")
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        let holderPid = try #require(try holder.query("SELECT pg_backend_pid() AS pid").first?["pid"].int())
        // Polls from a third session: inside the holder's transaction pg_stat_activity would
        // keep showing the moment the transaction began.
        let observer = try TestServer.admin("pgadvisor_locks")
        defer { observer.close() }
        let waiter = try PostgresTools.startPsql("pgadvisor_locks", sql: "SELECT count(*) FROM accounts",
                                                 applicationName: "pgadvisor-test-waiter")
        defer {
            _ = try? holder.query("ROLLBACK")
            waiter.waitUntilExit()
        }
        var waiterPid: Int?
        for _ in 0..<50 where waiterPid == nil {
            waiterPid = try observer.query(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgadvisor-test-waiter' AND wait_event_type = 'Lock'"
            ).first.map { try $0["pid"].int() }
            if waiterPid == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let waiting = try #require(waiterPid, "the waiter never queued behind the lock")

        let started = Date()
        let (findings, _, _) = try Self.audit("pgadvisor_locks")
        #expect(Date().timeIntervalSince(started) < 20, "the audit does not wait behind the lock")
        let f = try #require(findings.first { $0.rule == "blocked-sessions" }, "\(findings.map(\.rule))")
        #expect(f.target == "pid \(holderPid)")
        let blocked = f.evidence["blockedPids"] ?? ""
        #expect(blocked.contains(String(waiting)), "blockedPids: \(blocked)")
        #expect(f.evidence["rootPid"] == String(holderPid))
        #expect((f.evidence["lockMode"] ?? "").contains("AccessShareLock") || f.message.contains("AccessShareLock"))
        #expect((f.evidence["relation"] ?? "").contains("accounts"))
        #expect(f.message.contains("idle in transaction"))
    }
}
