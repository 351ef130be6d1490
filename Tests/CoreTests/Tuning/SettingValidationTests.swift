import Core
import Model
import Testing

/// Recommended values checked against a server's pg_settings rows, without a server.
struct SettingValidationTests {
    static func snapshot(_ settings: [Setting], sessions: Int = 0) -> Snapshot {
        var snapshot = Example.snapshot(settings: settings)
        snapshot.sessions = (0..<sessions).map { SessionInfo(pid: Int32(1000 + $0)) }
        return snapshot
    }

    static let ioMethod = Setting(name: "io_method", value: "worker", context: "postmaster", type: "enum", enumValues: ["sync", "worker"])

    @Test func anEnumValueTheBuildLacksGivesWayToTheBestValidOne() {
        let s = Self.snapshot([Self.ioMethod, Setting(name: "wal_compression", value: "off", type: "enum", enumValues: ["pglz", "on", "off"])])
        #expect(SettingValidation.check("io_method", "io_uring", on: s)
                == .replaced(value: "worker", reason: "this server accepts only sync, worker for io_method (built without io_uring), so worker instead of io_uring"))
        guard case .replaced(let value, _) = SettingValidation.check("wal_compression", "lz4", on: s) else {
            Issue.record("lz4 must be replaced"); return
        }
        #expect(value == "pglz")
        #expect(SettingValidation.check("io_method", "worker", on: s) == .valid)
        #expect(SettingValidation.check("io_method", "WORKER", on: s) == .valid, "enum values are case-insensitive")
    }

    @Test func anEnumValueWithoutAlternativeIsRefused() {
        let s = Self.snapshot([Setting(name: "wal_level", value: "replica", type: "enum", enumValues: ["minimal", "replica", "logical"])])
        guard case .refused = SettingValidation.check("wal_level", "archive", on: s) else { Issue.record("must be refused"); return }
    }

    @Test func numbersAreBroughtIntoTheServersRangeInItsUnit() {
        let s = Self.snapshot([
            Setting(name: "work_mem", value: "4096", unit: "kB", type: "integer", minValue: "64", maxValue: "2147483647"),
            Setting(name: "wal_buffers", value: "512", unit: "8kB", type: "integer", minValue: "-1", maxValue: "262143"),
            Setting(name: "random_page_cost", value: "4", type: "real", minValue: "0", maxValue: "1.79769e+308"),
            Setting(name: "checkpoint_timeout", value: "300", unit: "s", type: "integer", minValue: "30", maxValue: "86400"),
        ])
        #expect(SettingValidation.check("work_mem", "32kB", on: s) == .replaced(value: "64kB", reason: "32kB is below the smallest work_mem this server accepts (64kB)"))
        #expect(SettingValidation.check("work_mem", "64MB", on: s) == .valid)
        guard case .replaced(let wal, _) = SettingValidation.check("wal_buffers", "4GB", on: s) else { Issue.record("4GB of wal_buffers is over 262143 × 8kB"); return }
        #expect(wal == "2097144kB")
        #expect(SettingValidation.check("random_page_cost", "1.1", on: s) == .valid)
        #expect(SettingValidation.check("checkpoint_timeout", "2d", on: s) == .replaced(value: "86400s", reason: "2d is above the largest checkpoint_timeout this server accepts (86400s)"))
    }

    @Test func startSettingsTheServerCouldNotStartWith() {
        let s = Self.snapshot([Setting(name: "max_connections", value: "100", context: "postmaster", type: "integer", minValue: "1", maxValue: "262143"),
                               Setting(name: "shared_buffers", value: "16384", unit: "8kB", context: "postmaster", type: "integer", minValue: "16", maxValue: "1073741823")],
                              sessions: 150)
        guard case .replaced(let connections, _) = SettingValidation.check("max_connections", "100", on: s) else { Issue.record("150 in use"); return }
        #expect(Int(connections)! >= 150)
        guard case .replaced(let buffers, _) = SettingValidation.check("shared_buffers", "3GB", on: s, ramBytes: 4 << 30) else { Issue.record("3GB of 4GB"); return }
        #expect(buffers == "1GB")
        #expect(SettingValidation.check("shared_buffers", "1GB", on: s, ramBytes: 4 << 30) == .valid)
    }

    @Test func withoutTheServersLimitsTheValueStands() {
        let s = Self.snapshot([Setting(name: "io_method", value: "worker", context: "postmaster", type: "enum")])
        #expect(SettingValidation.check("io_method", "io_uring", on: s) == .valid, "an older snapshot cannot tell: PGTune's warning stays")
    }
}
