import Foundation
import Testing
import TestSupport

/// `pgadvisor tune` and the machine flags of `audit`, as a user runs them.
@Suite struct TuneCLITests {
    static func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    static func settings(_ object: [String: Any]) -> [String: [String: Any]] {
        var byName: [String: [String: Any]] = [:]
        for s in object["settings"] as? [[String: Any]] ?? [] { byName[s["name"] as? String ?? ""] = s }
        return byName
    }

    @Test func calculatorReproducesTheBaseline() throws {
        let r = try CLI.run(["tune", "--ram", "4GB", "--cpus", "2", "--pg-version", "17", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try Self.json(r)
        #expect(object["schemaVersion"] as? Int == 1)
        let inputs = try #require(object["inputs"] as? [String: [String: Any]])
        #expect(inputs["ramBytes"]?["value"] as? Int == 4 << 30)
        #expect(inputs["ramBytes"]?["source"] as? String == "--ram")
        #expect(inputs["version"]?["source"] as? String == "--pg-version")
        let s = Self.settings(object)
        #expect(s["shared_buffers"]?["recommended"] as? String == "1GB")
        #expect(s["effective_cache_size"]?["recommended"] as? String == "3GB")
        #expect(s["max_connections"]?["recommended"] as? String == "200")
        #expect(s["shared_buffers"]?["restart"] as? Bool == true)
        #expect(s["work_mem"]?["restart"] as? Bool == false)
        #expect(s["shared_buffers"]?["current"] == nil, "no server, no current value")
        let pools = try #require(object["pools"] as? [String: Any])
        #expect(pools["ceiling"] as? Int == 5)
        #expect((pools["tiers"] as? [Any])?.count == 4)
    }

    @Test func textReportHasEveryPart() throws {
        let r = try CLI.run(["tune", "--ram", "32GB", "--cpus", "8", "--workload", "oltp", "--storage", "nvme", "--pg-version", "16"])
        #expect(r.status == 0, "\(r.stderr)")
        for part in ["Settings", "Memory budget", "Connection pools", "ALTER SYSTEM SET shared_buffers = '8GB';",
                     "SELECT pg_reload_conf();", "restart the server to apply"] {
            #expect(r.stdout.contains(part), "\(part)")
        }
    }

    @Test(arguments: [
        (["--ram", "0"], "--ram must be more than 0"),
        (["--ram", "12XB"], "--ram takes a size"),
        (["--ram", "16"], "--ram takes a size"),
        (["--ram", "100MB"], "below"),
        (["--ram", "4GB", "--cpus", "0"], "--cpus must be"),
        (["--ram", "4GB", "--cpus=-1"], "--cpus must be"),
        (["--ram", "4GB", "--cpus", "-1"], "--cpus must be"),
        (["--ram", "-4GB"], "--ram"),
        (["--ram", "4GB", "--workload", "batch"], "workload"),
        (["--ram", "4GB", "--pg-version", "9"], "--pg-version must be"),
    ])
    func badMachineFactsAreUsageErrors(extra: [String], mentions: String) throws {
        var arguments = ["tune"] + extra
        if !extra.contains("--pg-version") { arguments += ["--pg-version", "17"] }
        let r = try CLI.run(arguments)
        CLIErrorTests.expectOneLineError(r, status: 64, mentions: mentions)
    }

    /// The PG* variables that would name a server, removed so that only libpq's default (the
    /// local socket) is tried.
    static let noServerNamed: [String: String?] = ["PGHOST": nil, "PGHOSTADDR": nil, "PGPORT": nil, "PGSERVICE": nil, "PGDATABASE": nil]

    /// A server answering on libpq's default socket would be used, rightly; then there is nothing to test.
    static var noLocalServer: Bool {
        !["/var/run/postgresql/.s.PGSQL.5432", "/tmp/.s.PGSQL.5432"].contains { FileManager.default.fileExists(atPath: $0) }
    }

    @Test(.enabled(if: noLocalServer, "a server answers on the default socket"))
    func withoutArgumentsOrServerItIsTheHostCalculator() throws {
        let r = try CLI.run(["tune", "--format", "json"], environment: Self.noServerNamed)
        #expect(r.status == 0, "\(r.stderr)")
        let inputs = try #require(try Self.json(r)["inputs"] as? [String: [String: Any]])
        #expect(inputs["version"]?["value"] as? Int == 18)
        #expect((inputs["version"]?["source"] as? String ?? "").hasPrefix("newest supported: no server answered"))
        let ram = inputs["ramBytes"]?["source"] as? String ?? ""
        #expect(ram.contains("meminfo") || ram.contains("cgroup"), "\(ram)")
    }

    @Test func aConnectionAskedForThatFailsStaysAnError() throws {
        let given = try CLI.run(["tune", "host=/nonexistent-pgadvisor-socket-dir"], environment: Self.noServerNamed)
        #expect(given.status == 1, "\(given.stdout)")
        #expect(given.stderr.contains("nonexistent-pgadvisor-socket-dir"))
        var named = Self.noServerNamed
        named["PGHOST"] = "/nonexistent-pgadvisor-socket-dir"
        let fromEnvironment = try CLI.run(["tune"], environment: named)
        #expect(fromEnvironment.status == 1, "\(fromEnvironment.stdout)")
    }

    /// The values of the issue's three machines: PGTune's work_mem stands, autovacuum_work_mem is set.
    @Test(arguments: [
        (["--ram", "8GB", "--cpus", "32", "--workload", "dw"], "14563kB", "64MB"),
        (["--ram", "2GB", "--cpus", "32", "--workload", "web"], "4MB", "64MB"),
        (["--ram", "2GB", "--cpus", "2", "--workload", "oltp"], "4MB", "64MB"),
    ])
    func workMemIsNotCrushedByAutovacuum(machine: [String], workMem: String, autovacuum: String) throws {
        let r = try CLI.run(["tune", "--pg-version", "15", "--format", "json"] + machine)
        #expect(r.status == 0, "\(r.stderr)")
        let s = Self.settings(try Self.json(r))
        #expect(s["work_mem"]?["recommended"] as? String == workMem)
        #expect(s["autovacuum_work_mem"]?["recommended"] as? String == autovacuum)
        #expect(s["autovacuum_work_mem"]?["pgtune"] as? String == "-1")
    }

    @Test func auditMachineFlagsNeedRAM() throws {
        let r = try CLI.run(["audit", "--from", "x.json", "--cpus", "4"])
        CLIErrorTests.expectOneLineError(r, status: 64, mentions: "add --ram")
    }
}

@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct TuneServerTests {
    static func findings(_ arguments: [String]) throws -> [[String: Any]] {
        let r = try CLI.run(arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try TuneCLITests.json(r)["findings"] as? [[String: Any]] ?? []
    }

    @Test func auditWithMachineFactsFlagsDefaultSharedBuffers() throws {
        try TestServer.freshDatabase("pgadvisor_tune")
        let all = try Self.findings(["audit", TestServer.uri("pgadvisor_tune"), "--ram", "24GB", "--cpus", "2"])
        let f = try #require(all.first { $0["rule"] as? String == "memory-settings" && $0["target"] as? String == "shared_buffers" },
                             "\(all.map { "\($0["rule"] ?? "") \($0["target"] ?? "")" })")
        let sql = (f["actions"] as? [[String: Any]] ?? []).compactMap { $0["sql"] as? String }
        #expect(sql == ["ALTER SYSTEM SET shared_buffers = '6GB';"], "25 % of 24 GB")
        #expect((f["message"] as? String ?? "").contains("128MB"))
    }

    @Test func auditWithoutMachineFactsSkipsTheMemoryRules() throws {
        try TestServer.freshDatabase("pgadvisor_tune")
        let r = try CLI.run(["audit", TestServer.uri("pgadvisor_tune"), "--format", "json"])
        let skipped = try TuneCLITests.json(r)["skipped"] as? [[String: String]] ?? []
        #expect(skipped.contains { $0["rule"] == "memory-overcommit" && ($0["reason"] ?? "").contains("--ram") })
    }

    @Test func overcommittingConfigurationIsCaughtByAuditAndTune() throws {
        try TestServer.freshDatabase("pgadvisor_overcommit")
        let admin = try TestServer.admin()
        defer { admin.close() }
        try admin.query("ALTER DATABASE pgadvisor_overcommit SET work_mem = '1GB'")
        let all = try Self.findings(["audit", TestServer.uri("pgadvisor_overcommit"), "--ram", "24GB", "--cpus", "2"])
        let f = try #require(all.first { $0["rule"] as? String == "memory-overcommit" }, "\(all.map { $0["rule"] ?? "" })")
        #expect(f["severity"] as? String == "critical")

        let r = try CLI.run(["tune", TestServer.uri("pgadvisor_overcommit"), "--ram", "24GB", "--cpus", "2", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try TuneCLITests.json(r)
        let adjustments = object["adjustments"] as? [[String: Any]] ?? []
        #expect(adjustments.contains { $0["kind"] as? String == "memory-safety" })
        let memory = try #require(object["memory"] as? [String: Any])
        #expect((memory["current"] as? [String: Any])?["overcommits"] as? Bool == true)
        #expect((memory["recommended"] as? [String: Any])?["overcommits"] as? Bool == false)
        let workMem = TuneCLITests.settings(object)["work_mem"]
        #expect(workMem?["current"] as? String == "1GB")
    }

    @Test func tuneOnTheDatabaseHostReadsTheMachine() throws {
        let r = try CLI.run(["tune", TestServer.conninfo("postgres"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let inputs = try #require(try TuneCLITests.json(r)["inputs"] as? [String: [String: Any]])
        let source = inputs["ramBytes"]?["source"] as? String ?? ""
        #expect(source.contains("meminfo") || source.contains("cgroup"), "\(source)")
        #expect((inputs["version"]?["source"] as? String ?? "").hasPrefix("server ("), "the version comes from the server")
    }
}
