import Connector
import Foundation
import Testing
import TestSupport

/// `plan`, `apply` and `rollback` against real servers: the demo shop fixed and undone, and
/// the faults an apply must survive — a build terminated mid-way, a lock it cannot get, a
/// second apply, a role without privileges, a standby, no terminal to confirm on.
///
/// Settings written with ALTER SYSTEM, a pg_stat_statements reset and a standby are
/// cluster-wide: the suite runs on scripts/test's isolated cluster, so the read-only suites
/// running beside it on the shared one see none of it, and every test that may write settings
/// resets them when it ends.
@Suite(.enabled(if: TestServer.isAvailable(.isolated), "needs the isolated throwaway server: run scripts/test"),
       .serialized, .isolatedCluster)
struct ApplyScenarioTests {
    static let config = PostgresTools.root.path + "/sql/demo/pgadvisor.toml"

    /// A fresh demo shop in `name`: the schema and, with `workload`, a short run of the demo
    /// workload (enough for the index advice).
    @discardableResult
    static func demoDatabase(_ name: String, workload: Bool = true) throws -> String {
        try TestServer.freshDatabase(name)
        try PostgresTools.psql(name, ["-f", "sql/demo/schema.sql"])
        if workload {
            try PostgresTools.pgbench(name, ["-n", "-f", "sql/demo/workload.sql", "-c", "2", "-j", "2", "-t", "20"])
        }
        return name
    }

    /// A new empty directory for a test's plan and journals.
    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `plan --format json --output DIR/plan.json` with the demo's options; returns the plan object.
    @discardableResult
    static func plan(_ db: String, in dir: URL, _ extra: [String] = []) throws -> [String: Any] {
        let path = dir.appendingPathComponent("plan.json").path
        let r = try CLI.run(["plan", TestServer.uri(db), "--config", config, "--ram", "4GB", "--cpus", "2",
                             "--format", "json", "--output", path] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Ids of the plan's steps that run at its risk level (online).
    static func runnable(_ plan: [String: Any]) -> [String] {
        (plan["steps"] as? [[String: Any]] ?? []).filter { $0["risk"] as? String == "online" }.compactMap { $0["id"] as? String }
    }

    static func apply(_ db: String, _ arguments: [String]) throws -> CLIResult {
        try CLI.run(["apply", TestServer.uri(db)] + arguments)
    }

    /// Every entry of a journal file.
    static func journal(_ path: String) throws -> [[String: Any]] {
        let text = String(decoding: try #require(FileManager.default.contents(atPath: path), "no journal \(path)"), as: UTF8.self)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func entries(_ journal: [[String: Any]], _ event: String) -> [[String: Any]] {
        journal.filter { $0["event"] as? String == event }
    }

    /// The rows of `sql` in `db`, columns joined by `|`.
    static func rows(_ db: String, _ sql: String) throws -> [String] {
        try PostgresTools.psql(db, ["-At", "-c", sql]).split(separator: "\n").map(String.init)
    }

    /// `name → indisvalid` of the indexes of schema shop.
    static func shopIndexes(_ db: String) throws -> [String: Bool] {
        var result: [String: Bool] = [:]
        for row in try rows(db, """
            SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'shop'
            """) {
            let parts = row.split(separator: "|", omittingEmptySubsequences: false)
            result[String(parts[0])] = parts.last == "t"
        }
        return result
    }

    static func indexDefinitions(_ db: String) throws -> [String] {
        try rows(db, "SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname = 'shop' ORDER BY 1, 2")
    }

    /// pg_class.reloptions of shop.sessions, `none` when it has none.
    static func sessionsOptions(_ db: String) throws -> String {
        try rows(db, "SELECT COALESCE(reloptions::text, 'none') FROM pg_class WHERE oid = 'shop.sessions'::regclass").joined()
    }

    static func invalidIndexes(_ db: String) throws -> Int {
        Int(try rows(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid").first ?? "") ?? -1
    }

    /// Puts back every ALTER SYSTEM setting (the test server has none of its own) and reloads.
    static func resetSystem() {
        _ = try? PostgresTools.psql("postgres", ["-c", "ALTER SYSTEM RESET ALL", "-c", "SELECT pg_reload_conf()"])
    }

    /// Calls `body` every 0.1 s until it returns a value or `seconds` pass.
    static func poll<T>(seconds: Double, _ body: () throws -> T?) rethrows -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let value = try body() { return value }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return nil
    }

    /// The first row's `column` of `sql` on an in-process session.
    static func value(_ db: Connection, _ sql: String, _ column: String) throws -> String? {
        try db.query(sql).rows.first?[column].optionalString()
    }

    // MARK: The demo shop

    /// The demo's plan applied: advised indexes built and valid, unused and duplicate ones
    /// dropped but never a withheld cover, settings written, blocking steps left alone; a second
    /// run of the same plan finds everything done and runs nothing.
    @Test func planAndApplyTheDemoShop() throws {
        let db = try Self.demoDatabase("pgadvisor_apply")
        let dir = try Self.scratch("apply")
        defer { Self.resetSystem() }
        let plan = try Self.plan(db, in: dir)
        let withheld = plan["withheld"] as? [[String: Any]] ?? []
        #expect(withheld.contains { $0["id"] as? String == "drop-index:shop.orders_created_at_idx"
            && ($0["reason"] as? String ?? "").contains("orders_created_at_total_idx") }, "\(withheld)")
        let runnable = Self.runnable(plan)
        let blocking = (plan["steps"] as? [[String: Any]] ?? []).filter { $0["risk"] as? String == "blocking" }.compactMap { $0["id"] as? String }
        #expect(Set(["alter-column-type:shop.tickets.id", "add-primary-key:shop.audit_log"]).isSubset(of: blocking), "\(blocking)")

        let journal = dir.appendingPathComponent("j.jsonl").path
        let r = try Self.apply(db, ["--plan", dir.appendingPathComponent("plan.json").path, "--journal", journal, "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        try expectDemoFixed(db)
        try expectBlockingStepsLeftAlone(db, journal: Self.journal(journal))
        let ends = Self.entries(try Self.journal(journal), "step-end")
        #expect(ends.compactMap { $0["id"] as? String } == runnable)
        #expect(ends.allSatisfy { $0["outcome"] as? String == "done" }, "\(ends.map { "\($0["id"] ?? "") \($0["outcome"] ?? "")" })")

        try expectSecondApplyRunsNothing(db, dir: dir, runnable: runnable)
    }

    func expectDemoFixed(_ db: String) throws {
        let indexes = try Self.shopIndexes(db)
        let advised = indexes.filter { $0.key.hasPrefix("orders_customer_id_") && $0.key.hasSuffix("_idx") }
        #expect(advised.count == 1 && advised.values.allSatisfy { $0 }, "\(indexes)")
        #expect(indexes["customers_email_idx"] == true, "\(indexes)")
        for dropped in ["products_sku_idx", "customers_created_at_idx", "orders_created_at_total_idx", #"Order Notes "Text" idx"#] {
            #expect(indexes[dropped] == nil, "\(dropped) is still there")
        }
        #expect(indexes["products_sku_key"] == true, "the constraint's copy of the duplicate stays")
        #expect(indexes["orders_created_at_idx"] == true, "the withheld drop did not run")
        #expect(try Self.rows(db, """
            SELECT setting FROM pg_file_settings WHERE name = 'track_io_timing' AND sourcefile LIKE '%postgresql.auto.conf' AND applied
            """) == ["on"])
        #expect(try Self.poll(seconds: 3) { try Self.rows(db, "SHOW track_io_timing") == ["on"] ? true : nil } == true)
        #expect(try Self.sessionsOptions(db) == "none")
    }

    /// The blocking steps are above the plan's risk level: not started, nothing changed.
    func expectBlockingStepsLeftAlone(_ db: String, journal: [[String: Any]]) throws {
        let started = Self.entries(journal, "step-start").compactMap { $0["id"] as? String }
        #expect(!started.contains("alter-column-type:shop.tickets.id"))
        #expect(!started.contains("add-primary-key:shop.audit_log"))
        #expect(try Self.rows(db, """
            SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'shop.tickets'::regclass AND attname = 'id'
            """) == ["integer"])
        #expect(try Self.rows(db, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'shop.audit_log'::regclass AND contype = 'p'") == ["0"])
    }

    func expectSecondApplyRunsNothing(_ db: String, dir: URL, runnable: [String]) throws {
        let second = dir.appendingPathComponent("j2.jsonl").path
        let r = try Self.apply(db, ["--plan", dir.appendingPathComponent("plan.json").path, "--journal", second, "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        let journal = try Self.journal(second)
        let ends = Self.entries(journal, "step-end")
        #expect(ends.compactMap { $0["id"] as? String } == runnable)
        #expect(ends.allSatisfy { $0["outcome"] as? String == "already-done" && $0["sql"] == nil }, "\(ends)")
    }

    // MARK: Faults

    /// A concurrent build terminated while it waits for an old snapshot: the apply fails, the
    /// INVALID index it left is dropped, and --resume builds it once the snapshot is gone.
    @Test func terminatedConcurrentBuildIsCleanedUpAndResumed() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_kill")
        let dir = try Self.scratch("kill")
        let journal = dir.appendingPathComponent("j.jsonl").path
        let plan = try Self.plan(db, in: dir, ["--only", "create-index"])
        let first = try #require(Self.runnable(plan).first, "no create-index step in \(plan)")

        // An old snapshot on another table: each build waits for it after its validation scan.
        let snapshot = try TestServer.admin(db)
        defer { snapshot.close() }
        try snapshot.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try snapshot.query("SELECT count(*) FROM shop.products")
        let run = try BackgroundRun(["apply", TestServer.uri(db), "--plan", dir.appendingPathComponent("plan.json").path,
                                     "--journal", journal, "--yes"], in: dir)
        let killed = try terminateBuild(db, phase: "waiting for old snapshots")
        if killed == nil { try snapshot.query("ROLLBACK") }
        let r = try run.finish()
        #expect(killed != nil, "the build never reached the phase; apply said: \(r.stderr)")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(try Self.invalidIndexes(db) == 0)
        let failed = Self.entries(try Self.journal(journal), "step-end").first { $0["id"] as? String == first }
        let message = failed?["message"] as? String ?? ""
        #expect(failed?["outcome"] as? String == "failed")
        #expect(message.contains("terminating connection due to administrator command"), "the server's reason is kept: \(message)")
        let cleanups = Self.entries(try Self.journal(journal), "cleanup").compactMap { $0["message"] as? String }
        #expect(cleanups.contains { $0.contains("invalid index shop.orders_customer_id_") }, "\(cleanups)")
        print("terminated build: exit \(r.status); step-end: \(message); cleanup: \(cleanups)")

        try #require(killed != nil)
        try snapshot.query("ROLLBACK")
        try expectResumeCompletes(db, journal: journal, steps: Self.runnable(plan))
    }

    /// After the advised indexes are applied and the workload runs again, verify names the
    /// statements they helped; after a pg_stat_statements reset it says so and still judges them.
    @Test func verifyNamesTheHelpedStatements() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_verify")
        let dir = try Self.scratch("verify")
        try Self.plan(db, in: dir, ["--only", "create-index"])
        let journal = dir.appendingPathComponent("j.jsonl").path
        let applied = try Self.apply(db, ["--plan", dir.appendingPathComponent("plan.json").path, "--journal", journal, "--yes"])
        #expect(applied.status == 0, "\(applied.stderr)")
        try PostgresTools.pgbench(db, ["-n", "-f", "sql/demo/workload.sql", "-c", "2", "-j", "2", "-t", "20"])
        let report = try verify(db, journal: journal)
        #expect(report["statisticsReset"] as? Bool == false)
        try expectHelped(report)

        try PostgresTools.psql(db, ["-c", "SELECT pg_stat_statements_reset()"])
        try PostgresTools.pgbench(db, ["-n", "-f", "sql/demo/workload.sql", "-c", "2", "-j", "2", "-t", "20"])
        let afterReset = try verify(db, journal: journal)
        #expect(afterReset["statisticsReset"] as? Bool == true)
        #expect((afterReset["notes"] as? [String] ?? []).contains { $0.contains("reset") })
        try expectHelped(afterReset)
    }

    func verify(_ db: String, journal: String) throws -> [String: Any] {
        let r = try CLI.run(["verify", journal, TestServer.uri(db), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(LiveReportSchemas.problems(r.stdout, schema: "verify.schema.json").isEmpty)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// Both created indexes helped, each naming a statement on its table that got faster.
    func expectHelped(_ report: [String: Any]) throws {
        let steps = report["steps"] as? [[String: Any]] ?? []
        for table in ["shop.orders", "shop.customers"] {
            let step = try #require(steps.first { ($0["id"] as? String ?? "").hasPrefix("create-index:\(table)(") }, "\(steps)")
            #expect(step["verdict"] as? String == "helped", "\(step)")
            let statements = step["statements"] as? [[String: Any]] ?? []
            let helped = statements.filter { $0["verdict"] as? String == "helped" }
            #expect(helped.contains { ($0["text"] as? String ?? "").contains(table) }, "\(statements)")
            for s in helped {
                #expect((s["meanAfterMs"] as? Double ?? .infinity) < (s["meanBeforeMs"] as? Double ?? 0))
            }
        }
    }

    /// Waits for the apply's CREATE INDEX to reach `phase`, terminates its backend, returns its pid.
    func terminateBuild(_ db: String, phase: String) throws -> Int? {
        let observer = try TestServer.admin(db)
        defer { observer.close() }
        let pid = try Self.poll(seconds: 20) {
            try Self.value(observer, """
                SELECT p.pid::text FROM pg_stat_progress_create_index p JOIN pg_stat_activity a USING (pid)
                WHERE a.application_name = 'pgadvisor-apply' AND a.datname = current_database() AND p.phase = '\(phase)'
                """, "pid")
        }
        guard let pid else { return nil }
        #expect(try Self.value(observer, "SELECT pg_terminate_backend(\(pid))::text AS ok", "ok") == "true")
        return Int(pid)
    }

    func expectResumeCompletes(_ db: String, journal: String, steps: [String]) throws {
        let before = try Self.journal(journal).count
        let r = try CLI.run(["apply", TestServer.uri(db), "--resume", journal, "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        let resumed = Self.entries(Array(try Self.journal(journal).dropFirst(before)), "step-end")
        #expect(resumed.compactMap { $0["id"] as? String } == steps)
        #expect(resumed.allSatisfy { $0["outcome"] as? String == "done" }, "\(resumed)")
        let indexes = try Self.shopIndexes(db)
        #expect(indexes.filter { $0.key.hasPrefix("orders_customer_id_") }.values.elementsEqual([true]), "\(indexes)")
        #expect(indexes["customers_email_idx"] == true)
        #expect(try Self.invalidIndexes(db) == 0)
    }

    /// Another session keeps an ACCESS EXCLUSIVE lock: the step times out on every retry, the
    /// apply fails within a bound, and the table is as it was.
    @Test func conflictingLockFailsTheStepWithinABound() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_lock", workload: false)
        let dir = try Self.scratch("lock")
        let journal = dir.appendingPathComponent("j.jsonl").path
        #expect(Self.runnable(try Self.plan(db, in: dir, ["--only", "reset-storage-parameters"])).count == 1)
        let holder = try TestServer.admin(db)
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE shop.sessions IN ACCESS EXCLUSIVE MODE")

        let started = Date()
        let r = try Self.apply(db, ["--plan", dir.appendingPathComponent("plan.json").path, "--journal", journal,
                                    "--step-lock-timeout", "300ms", "--lock-retries", "2", "--yes"])
        let elapsed = Date().timeIntervalSince(started)
        try holder.query("ROLLBACK")
        print("conflicting lock: exit \(r.status) after \(String(format: "%.1f", elapsed)) s")
        #expect(r.status == 1)
        #expect(elapsed < 20)
        #expect(r.stderr.contains("retry 2 of 2"), "\(r.stderr)")
        let end = try #require(Self.entries(try Self.journal(journal), "step-end").first)
        #expect(end["outcome"] as? String == "failed")
        #expect((end["message"] as? String ?? "").contains("55P03"), "\(end)")
        print("conflicting lock: \(end["message"] as? String ?? "-")")
        #expect(try Self.sessionsOptions(db) == "{autovacuum_enabled=false}")
    }

    /// A run killed (SIGKILL) while its drop waits behind a reader: the orphaned session still
    /// finishes the drop. Resume records the step as done, with the undo journaled before it
    /// ran, and rollback puts the index back.
    @Test func killedRunIsResumedAsDoneAndRolledBack() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_kill", workload: false)
        let dir = try Self.scratch("kill")
        let journal = dir.appendingPathComponent("j.jsonl").path
        let id = "drop-index:shop.customers_created_at_idx"
        #expect(Self.runnable(try Self.plan(db, in: dir, ["--only", id])) == [id])
        let reader = try TestServer.admin(db)
        defer { reader.close() }
        try reader.query("BEGIN")
        try reader.query("SELECT count(*) FROM shop.customers")
        let run = try BackgroundRun(["apply", TestServer.uri(db), "--plan", dir.appendingPathComponent("plan.json").path,
                                     "--journal", journal, "--yes"], in: dir)
        // Polled without #require: the journal appears only once the guards have passed.
        let started: [String: Any]? = Self.poll(seconds: 15) {
            guard let data = FileManager.default.contents(atPath: journal) else { return nil }
            return String(decoding: data, as: UTF8.self).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["event"] as? String == "step-start" }
        }
        kill(run.process.processIdentifier, SIGKILL)
        _ = try run.finish()
        try reader.query("ROLLBACK")
        #expect((started?["rollback"] as? [String] ?? []).first?.hasPrefix("CREATE INDEX CONCURRENTLY") == true, "\(String(describing: started))")
        // The orphaned backend completes the drop, then keeps the advisory lock until ended.
        #expect(Self.poll(seconds: 15) { try? Self.shopIndexes(db)["customers_created_at_idx"] == nil ? true : nil } == true)
        try PostgresTools.psql(db, ["-c", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgadvisor-apply'"])
        _ = Self.poll(seconds: 5) { try? Self.rows(db, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgadvisor-apply'").isEmpty ? true : nil }

        let resumed = try Self.apply(db, ["--resume", journal, "--yes"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let end = try #require(Self.entries(try Self.journal(journal), "step-end").last)
        #expect(end["outcome"] as? String == "done", "\(end)")
        let undone = try CLI.run(["rollback", journal, TestServer.uri(db), "--yes"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try Self.shopIndexes(db)["customers_created_at_idx"] == true, "the rollback re-created it, valid")
    }

    /// Rollback undoes the apply: the indexes and every setting are as they were before.
    @Test func rollbackRestoresIndexesAndSettings() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_undo")
        let dir = try Self.scratch("undo")
        let journal = dir.appendingPathComponent("j.jsonl").path
        defer { Self.resetSystem() }
        try Self.plan(db, in: dir)
        let settings = "SELECT name, setting FROM pg_settings ORDER BY 1"
        let indexesBefore = try Self.indexDefinitions(db), settingsBefore = try Self.rows(db, settings)

        let applied = try Self.apply(db, ["--plan", dir.appendingPathComponent("plan.json").path, "--journal", journal, "--yes"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try Self.indexDefinitions(db) != indexesBefore)
        #expect(try Self.poll(seconds: 3) { try Self.rows(db, settings) != settingsBefore ? true : nil } == true)

        let r = try CLI.run(["rollback", journal, TestServer.uri(db), "--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.indexDefinitions(db) == indexesBefore)
        // The rollback waits for its own session to reload; a new one may start before the postmaster has.
        let settingsAfter = try Self.poll(seconds: 5) { try Self.rows(db, settings) == settingsBefore ? true : nil }
        let settingsNow = try Self.rows(db, settings)
        #expect(settingsAfter == true, "\(Set(settingsNow).symmetricDifference(settingsBefore))")
        #expect(try Self.sessionsOptions(db) == "{autovacuum_enabled=false}")
    }

    /// A second apply while one runs (blocked on a lock) refuses in one line naming the first's pid.
    @Test func secondApplyRefusesNamingTheHolder() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_twice", workload: false)
        let dir = try Self.scratch("twice")
        let plan = dir.appendingPathComponent("plan.json").path
        try Self.plan(db, in: dir, ["--only", "reset-storage-parameters"])
        let holder = try TestServer.admin(db)
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE shop.sessions IN ACCESS EXCLUSIVE MODE")
        let first = try BackgroundRun(["apply", TestServer.uri(db), "--plan", plan, "--journal", dir.appendingPathComponent("j1.jsonl").path,
                                       "--step-lock-timeout", "30s", "--lock-retries", "0", "--yes"], in: dir)
        defer { _ = try? holder.query("ROLLBACK"); _ = try? first.finish() }
        let observer = try TestServer.admin(db)
        defer { observer.close() }
        let pid = try #require(try Self.poll(seconds: 15) {
            try Self.value(observer, """
                SELECT pid::text FROM pg_stat_activity
                WHERE application_name = 'pgadvisor-apply' AND datname = current_database() AND wait_event_type = 'Lock'
                """, "pid")
        }, "the first apply never waited on the lock")

        let r = try Self.apply(db, ["--plan", plan, "--journal", dir.appendingPathComponent("j2.jsonl").path, "--yes"])
        print("second apply: exit \(r.status): \(r.stderr)")
        #expect(r.status == 1)
        #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("pid \(pid)"), "\(r.stderr)")
        try holder.query("ROLLBACK")
        let firstResult = try first.finish()
        #expect(firstResult.status == 0, "the first apply goes on once the lock is released: \(firstResult.stderr)")
    }

    /// A role that may read but own nothing: refused before anything runs, every step listed.
    @Test func roleWithoutPrivilegesIsRefusedUpFront() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_nopriv")
        let dir = try Self.scratch("nopriv")
        let runnable = Self.runnable(try Self.plan(db, in: dir))
        try PostgresTools.psql("postgres", ["-c", "DROP ROLE IF EXISTS pgadvisor_nopriv", "-c", "CREATE ROLE pgadvisor_nopriv LOGIN",
                                            "-c", "GRANT pg_monitor TO pgadvisor_nopriv"])
        defer { _ = try? PostgresTools.psql("postgres", ["-c", "DROP ROLE IF EXISTS pgadvisor_nopriv"]) }
        let indexesBefore = try Self.indexDefinitions(db)
        let files = "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY 1"
        let filesBefore = try Self.rows(db, files)

        let conninfo = "host=\(TestServer.host) port=\(TestServer.port) user=pgadvisor_nopriv dbname=\(db)"
        let journal = dir.appendingPathComponent("j.jsonl").path
        let r = try CLI.run(["apply", conninfo, "--plan", dir.appendingPathComponent("plan.json").path, "--journal", journal, "--yes"])
        print("no privileges: exit \(r.status): \(r.stderr.prefix(300))")
        #expect(r.status == 1)
        #expect(r.stderr.contains("may not run \(runnable.count) steps"), "\(r.stderr)")
        for id in runnable { #expect(r.stderr.contains(id), "\(id) not listed") }
        #expect(!FileManager.default.fileExists(atPath: journal), "a refused apply writes no journal")
        #expect(try Self.indexDefinitions(db) == indexesBefore)
        #expect(try Self.rows(db, files) == filesBefore)
    }

    /// An apply on a standby is refused, naming it.
    @Test func standbyIsRefusedUpFront() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_standby", workload: false)
        let dir = try Self.scratch("standby")
        try Self.plan(db, in: dir, ["--only", "reset-storage-parameters"])
        try TestStandby.start()
        defer { _ = try? TestStandby.stop() }
        let r = try CLI.run(["apply", try TestStandby.uri(db), "--plan", dir.appendingPathComponent("plan.json").path,
                             "--journal", dir.appendingPathComponent("j.jsonl").path, "--yes"])
        print("standby: exit \(r.status): \(r.stderr)")
        #expect(r.status == 1)
        #expect(r.stderr.contains("standby"), "\(r.stderr)")
        #expect(try Self.sessionsOptions(db) == "{autovacuum_enabled=false}")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("j.jsonl").path))
    }

    /// Without --yes and without a terminal, apply refuses as a usage error and writes nothing.
    @Test func noTerminalWithoutYesIsAUsageError() throws {
        let db = try Self.demoDatabase("pgadvisor_apply_notty", workload: false)
        let dir = try Self.scratch("notty")
        try Self.plan(db, in: dir, ["--only", "reset-storage-parameters"])
        let journal = dir.appendingPathComponent("j.jsonl").path
        let r = try Self.apply(db, ["--plan", dir.appendingPathComponent("plan.json").path, "--journal", journal])
        #expect(r.status == 64)
        #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--yes"))
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try Self.sessionsOptions(db) == "{autovacuum_enabled=false}")
    }
}

/// pgadvisor running in the background, its output collected in files of `dir`.
final class BackgroundRun {
    let process = Process()
    let out: URL
    let err: URL

    init(_ arguments: [String], in dir: URL) throws {
        let tag = UUID().uuidString
        out = dir.appendingPathComponent("\(tag).out")
        err = dir.appendingPathComponent("\(tag).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
    }

    /// Waits for it to exit; its status and standard error.
    func finish() throws -> (status: Int32, stderr: String) {
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
