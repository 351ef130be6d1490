import Core
import Foundation
import Testing
import TestSupport

@testable import Commands

/// The configuration file: every section read, every error with its file, line and key.
struct ConfigFileTests {
    static func error(_ text: String) -> String {
        do {
            _ = try ConfigFile.parse(text, path: "pgadvisor.toml")
            return "no error"
        } catch let error as CLIError {
            #expect(error.exitCode == ExitStatus.usage)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        // The second entry of an array of tables, after a multi-line string holding "until = …".
        ("""
         [[suppress]]
         rule = "unused-index"
         target = "shop.a_idx"
         reason = \"\"\"
         until = "2026-01-01"
         \"\"\"

         [[suppress]]
         rule = "unused-index"
         target = "shop.b_idx"
         reason = "kept"
         until = "2026-13-01"
         """, "pgadvisor.toml:12: suppress[2].until: \"2026-13-01\" is not a date (YYYY-MM-DD)"),
        ("[[suppress]]\nrule = \"unused-index\"\ntarget = \"x\"\nreason = \"r\"\n\n[[suppress]]\nrule = \"unused-index\"\n",
         "pgadvisor.toml:6: suppress[2].target: missing"),
        ("[[suppress]]\nrule = \"no-such-rule\"\ntarget = \"x\"\nreason = \"r\"\n",
         "pgadvisor.toml:2: suppress[1].rule: no rule 'no-such-rule'"),
        ("[[suppress]]\nrule = \"unused-index\"\ntarget = \"x\"\nreason = \"r\"\nexpires = 2027-01-01\n",
         "pgadvisor.toml:5: suppress[1].expires: unknown key"),
        ("format = \"text\"\n\n[host]\nram = \"64GB\"\ncpus = 0\n", "pgadvisor.toml:5: host.cpus: must be a whole number"),
        ("[host]\nstorage = \"tape\"\n", "pgadvisor.toml:2: host.storage: \"tape\" is not one of ssd"),
        ("[rules.unused-index]\nmin-size = \"1MB\"\n\n[rules.slow-query]\nmean-time = \"soon\"\n",
         "pgadvisor.toml:5: slow-query.mean-time takes a duration"),
        ("[rules.unused-index]\nmin-size = \"1MB\"\ncolour = \"blue\"\n", "pgadvisor.toml:3: rule unused-index has no parameter 'colour'"),
        ("[rules.unused-index]\n[rules.no-such-rule]\nx = 1\n", "pgadvisor.toml:2: rules.no-such-rule: unknown rule 'no-such-rule'"),
        ("[[targets]]\nname = \"a\"\nconninfo = \"dbname=a\"\n[[targets]]\nname = \"a\"\nservice = \"b\"\n",
         "pgadvisor.toml:5: targets[2].name: \"a\" is used by an earlier target"),
        ("[[targets]]\nname = \"a\"\nconninfo = \"dbname=a\"\nram = \"big\"\n", "pgadvisor.toml:4: targets[1].ram: \"big\" is not a size"),
        ("# settings\n\n[server]\nx = 1\n", "pgadvisor.toml:3: server: unknown key"),
        ("format = \"pdf\"\n", "pgadvisor.toml:1: format: \"pdf\" is not a report format"),
        ("[rules.unused-index\n", "pgadvisor.toml:1:"),
    ])
    func errorsNameFileLineAndKey(text: String, message: String) {
        let got = Self.error(text)
        #expect(got.hasPrefix(message), "got: \(got)")
        #expect(!got.contains("\n"))
    }

    @Test func everySectionIsRead() throws {
        let file = try ConfigFile.parse("""
            format = "markdown"
            [host]
            ram = "64GB"
            cpus = 16
            workload = "oltp"
            [rules.unused-index]
            enabled = false
            [rules.slow-query]
            mean-time = "250ms"
            min-calls = 5
            critical-share = 0.5
            [[suppress]]
            rule = "missing-primary-key"
            target = "staging.*"
            reason = "loaded and dropped nightly"
            [[suppress]]
            rule = "unused-index"
            target = "shop.orders_legacy_idx"
            reason = "kept for the year-end report"
            until = 2027-01-31
            [[targets]]
            name = "orders"
            conninfo = "host=db1 dbname=orders"
            ram = "128GB"
            [[targets]]
            name = "billing"
            service = "billing"
            """, path: "p.toml")
        #expect(file.format == .markdown)
        #expect(file.host == HostFacts(ramBytes: 64 << 30, cpus: 16, storage: nil, workload: .oltp))
        #expect(file.rules["slow-query"] == ["mean-time": "250ms", "min-calls": "5", "critical-share": "0.5"])
        #expect(file.rules["unused-index"] == ["enabled": "false"])
        #expect(file.suppressions.map(\.line) == [12, 16])
        #expect(file.suppressions[1].until == CalendarDay(year: 2027, month: 1, day: 31))
        #expect(file.suppressions[0].until == nil)
        #expect(file.targets.map(\.name) == ["orders", "billing"])
        #expect(file.targets[1].conninfo == "service='billing'")
        var configuration = AuditConfiguration()
        try file.apply(to: &configuration)
        #expect(configuration.disabledRules == ["unused-index"])
    }

    /// Flags win over a target's own facts, which win over [host].
    @Test func hostFactsOrder() {
        let file = HostFacts(ramBytes: 64 << 30, cpus: 16, storage: .hdd, workload: .web)
        let target = HostFacts(ramBytes: 128 << 30, cpus: nil, storage: nil, workload: .dw)
        let flags = HostFacts(ramBytes: nil, cpus: 4, storage: nil, workload: nil)
        let merged = file.overridden(by: target).overridden(by: flags)
        #expect(merged == HostFacts(ramBytes: 128 << 30, cpus: 4, storage: .hdd, workload: .dw))
    }

    @Test func linesOfKeysTablesAndArraysOfTables() {
        let lines = TOMLLines("""
            a = [
              "x = 1",
            ]
            [rules."unused-index"]
            min-size = "1MB"  # comment
            [[targets]]
            name = "a"
            [[targets]]
            name = "b"
            host.ram = "1GB"
            """)
        #expect(lines.line(of: "a") == 1)
        #expect(lines.line(of: "rules.unused-index.min-size") == 5)
        #expect(lines.line(of: "targets[1].name") == 7)
        #expect(lines.line(of: "targets[2].name") == 9)
        #expect(lines.line(of: "targets[2].host.ram") == 10)
        #expect(lines.line(of: "targets[2].missing") == 8)
        #expect(lines.line(of: "x") == 1)
    }

    @Test func targetListFiles() throws {
        let dir = NSTemporaryDirectory() + "pgadvisor-targets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = dir + "/fleet.txt"
        try Data("# nightly fleet\n\nhost=db1 dbname=app password=Sup3r-s3cret!pw\norders\n  postgresql://u:pw2@db2/app  \n".utf8)
            .write(to: URL(fileURLWithPath: list))
        let targets = try TargetList.read(list)
        #expect(targets.map(\.conninfo) == ["host=db1 dbname=app password=Sup3r-s3cret!pw", "service='orders'", "postgresql://u:pw2@db2/app"])
        #expect(targets.allSatisfy { !$0.name.contains("Sup3r") && !$0.name.contains("pw2") }, "\(targets.map(\.name))")
        #expect(targets.allSatisfy { FleetTarget.isValidName($0.folder) }, "\(targets.map(\.folder))")

        let toml = dir + "/fleet.toml"
        try Data("[[targets]]\nname = \"a\"\nconninfo = \"dbname=a\"\n\n[rules.unused-index]\nenabled = false\n".utf8)
            .write(to: URL(fileURLWithPath: toml))
        #expect(throws: CLIError.self) { try TargetList.read(toml) }
        try Data("# nothing\n".utf8).write(to: URL(fileURLWithPath: list))
        #expect(throws: CLIError.self) { try TargetList.read(list) }
    }
}
