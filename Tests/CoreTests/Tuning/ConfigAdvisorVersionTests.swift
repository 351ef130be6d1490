import Core
import Model
import Testing

/// Advice that depends on the server version: PostgreSQL 18's asynchronous I/O, I/O
/// concurrency defaults and autovacuum worker slots — and none of it for 15.
@Suite struct ConfigAdvisorVersionTests {
    static func advice(_ version: Int, cpus: Int = 2, storage: StorageKind = .ssd, snapshot: Snapshot? = nil) -> ConfigAdvice {
        ConfigAdvisor.advise(TuningInputs(ramBytes: 16 << 30, cpus: cpus, storage: storage, majorVersion: version), snapshot: snapshot)
    }

    static func setting(_ advice: ConfigAdvice, _ name: String) -> SettingAdvice? {
        advice.settings.first { $0.name == name }
    }

    @Test func postgres15GetsNoSettingItDoesNotKnow() {
        let v15 = Self.advice(15, cpus: 64)
        let names = Set(v15.settings.map(\.name))
        for name in ["io_method", "io_workers", "autovacuum_worker_slots"] {
            #expect(!names.contains(name), "\(name) does not exist on PostgreSQL 15")
        }
        #expect(Self.setting(v15, "maintenance_io_concurrency")?.recommended == "200", "exists since 13")
        #expect(Self.setting(v15, "maintenance_io_concurrency")?.pgtune == "10", "15's default")
        #expect(Self.setting(v15, "autovacuum_max_workers")?.restart == true, "a restart before 18")
        let reason = Self.setting(v15, "autovacuum_max_workers")?.reason ?? ""
        #expect(reason.range(of: "reload") == nil, "\(reason)")
    }

    @Test func postgres18WithoutAServerKeepsWorkerIO() {
        let v18 = Self.advice(18, cpus: 64)
        let method = Self.setting(v18, "io_method")
        #expect(method?.recommended == "worker", "io_uring only where the build offers it")
        #expect(method?.pgtune == "io_uring")
        #expect(method?.reason.contains("liburing") == true)
        #expect(method?.restart == true)
        #expect(!v18.warnings.contains { $0.hasPrefix("io_method = io_uring") }, "\(v18.warnings)")
        #expect(Self.setting(v18, "io_workers")?.recommended == "16")
        #expect(Self.setting(v18, "maintenance_io_concurrency")?.pgtune == "16", "18's default")
        let workers = Self.setting(v18, "autovacuum_max_workers")
        #expect(workers?.recommended == "5" && workers?.restart == false, "reloadable on 18")
        #expect(workers?.reason.contains("autovacuum_worker_slots (16)") == true)
        #expect(Self.setting(v18, "autovacuum_worker_slots") == nil, "5 workers fit in the default 16 slots")
    }

    @Test func postgres18NeverLowersTheIOConcurrencyDefault() {
        let hdd18 = Self.advice(18, storage: .hdd)
        #expect(Self.setting(hdd18, "effective_io_concurrency")?.recommended == "16")
        #expect(Self.setting(hdd18, "effective_io_concurrency")?.pgtune == "2")
        #expect(Self.setting(hdd18, "maintenance_io_concurrency")?.recommended == "16")
        let hdd15 = Self.advice(15, storage: .hdd)
        #expect(Self.setting(hdd15, "effective_io_concurrency")?.recommended == "2", "15's default is 1")
    }

    @Test func moreWorkersThanSlotsNeedMoreSlots() {
        let snapshot = Example.snapshot(versionNumber: 180_001, settings: [
            Example.setting("autovacuum_worker_slots", "4", context: "postmaster"),
            Example.setting("autovacuum_max_workers", "3", context: "sighup"),
        ])
        let v18 = Self.advice(18, cpus: 64, snapshot: snapshot)
        let slots = Self.setting(v18, "autovacuum_worker_slots")
        #expect(slots?.recommended == "5" && slots?.restart == true, "\(v18.settings.map(\.name))")
        #expect(slots?.reason.contains("above the 4 worker slots") == true)
    }

    @Test func aLiveServerOfferingIOUringKeepsIt() {
        let snapshot = Example.snapshot(versionNumber: 180_001, settings: [
            Setting(name: "io_method", value: "worker", context: "postmaster", source: "default", type: "enum",
                    enumValues: ["sync", "worker", "io_uring"]),
        ])
        #expect(Self.setting(Self.advice(18, snapshot: snapshot), "io_method")?.recommended == "io_uring")
    }
}
