import Core
import Testing

/// PGTune's current generation, checked against values computed by hand from
/// docs `config-formulas.md` §1.3 (R = RAM in kB, SB = shared_buffers, C = connections, N = CPUs).
@Suite struct PGTuneTests {
    static let mb: Int64 = 1 << 20
    static let gb: Int64 = 1 << 30

    /// Every emitted setting as `name = value`, in order.
    static func lines(_ inputs: TuningInputs) -> [String] {
        PGTune.settings(for: inputs).map { "\($0.name) = \($0.value)" }
    }

    /// One setting's value, nil when PGTune omits it.
    static func value(_ name: String, _ inputs: TuningInputs) -> String? {
        PGTune.settings(for: inputs).first { $0.name == name }?.value
    }

    /// Inputs whose RAM is given in kB (R itself).
    static func kB(_ ramKB: Int64, cpus: Int? = nil, storage: StorageKind = .ssd, workload: Workload = .web,
                   connections: Int? = nil, version: Int = 18, os: OperatingSystem = .linux,
                   dataSize: DataSize = .midRAM) -> TuningInputs {
        TuningInputs(ramBytes: ramKB * 1024, cpus: cpus, storage: storage, workload: workload,
                     connections: connections, majorVersion: version, os: os, dataSize: dataSize)
    }

    // MARK: - Full outputs

    @Test func small4GBWebLinux18SSD() {
        // R = 4,194,304; C = 200; N = 2 < 4, so no parallel block and P = 8.
        // work_mem = (4,194,304 − 1,048,576) / (3·208) = 3,145,728 / 624 = 5041.2 → 5041 kB.
        let inputs = TuningInputs(ramBytes: 4 * Self.gb, cpus: 2, storage: .ssd, workload: .web,
                                  majorVersion: 18, os: .linux)
        #expect(Self.lines(inputs) == [
            "max_connections = 200",
            "shared_buffers = 1GB",
            "effective_cache_size = 3GB",
            "maintenance_work_mem = 256MB",
            "checkpoint_completion_target = 0.9",
            "wal_buffers = 16MB", // 3 % of 1,048,576 = 31,457 kB → capped at 16 MB
            "default_statistics_target = 100",
            "random_page_cost = 1.1",
            "effective_io_concurrency = 200",
            "work_mem = 5041kB",
            "huge_pages = off",
            "jit = off",
            "wal_compression = lz4",
            "io_method = io_uring",
            "min_wal_size = 1GB",
            "max_wal_size = 4GB",
        ])
        #expect(PGTune.warnings(for: inputs).count == 2)
    }

    @Test func oltp32GB8CPULinux17NVMe() {
        // R = 33,554,432; SB = 8 GB; ECS = 24 GB; MWM = R/16 = 2,097,152 = 2 GB → autovacuum_work_mem.
        // N = 8 ≥ 4: P = 8; work_mem = (33,554,432 − 8,388,608) / (3·308) = 25,165,824 / 924 = 27,235.7 → 27,235 kB.
        let inputs = TuningInputs(ramBytes: 32 * Self.gb, cpus: 8, storage: .nvme, workload: .oltp,
                                  majorVersion: 17, os: .linux)
        #expect(Self.lines(inputs) == [
            "max_connections = 300",
            "shared_buffers = 8GB",
            "effective_cache_size = 24GB",
            "maintenance_work_mem = 2GB",
            "checkpoint_completion_target = 0.9",
            "wal_buffers = 16MB",
            "default_statistics_target = 100",
            "random_page_cost = 1.1",
            "effective_io_concurrency = 1000",
            "work_mem = 27235kB",
            "huge_pages = try",
            "jit = off",
            "wal_compression = lz4",
            "autovacuum_work_mem = 2GB",
            "min_wal_size = 2GB",
            "max_wal_size = 8GB",
            "max_worker_processes = 8",
            "max_parallel_workers_per_gather = 4",
            "max_parallel_workers = 8",
            "max_parallel_maintenance_workers = 4",
        ])
        #expect(PGTune.warnings(for: inputs) == [
            "wal_compression = lz4 needs a server built with lz4 support (--with-lz4, as the standard packages "
                + "are); otherwise use wal_compression = on.",
        ])
    }

    @Test func dw256GB64CPULinux18HDDGreaterRAM() {
        // R = 268,435,456; SB = 64 GB; ECS = 192 GB; MWM = R/8 = 32 GB → capped at 8 GB.
        // P = N = 64; work_mem = (268,435,456 − 67,108,864) / (3·104) / 2 = 201,326,592 / 624 = 322,638.8 → 322,638;
        // × 0.9 = 290,374.2 → 290,374 kB. gather = ⌈64/2⌉ = 32, no cap for dw; maintenance min(32, 4) = 4.
        let inputs = TuningInputs(ramBytes: 256 * Self.gb, cpus: 64, storage: .hdd, workload: .dw,
                                  majorVersion: 18, os: .linux, dataSize: .greaterRAM)
        #expect(Self.lines(inputs) == [
            "max_connections = 40",
            "shared_buffers = 64GB",
            "effective_cache_size = 192GB",
            "maintenance_work_mem = 8GB",
            "checkpoint_completion_target = 0.9",
            "wal_buffers = 16MB",
            "default_statistics_target = 500",
            "random_page_cost = 4",
            "effective_io_concurrency = 2",
            "work_mem = 290374kB",
            "huge_pages = try",
            "wal_compression = lz4",
            "autovacuum_max_workers = 5",
            "autovacuum_work_mem = 2GB",
            "io_method = io_uring",
            "min_wal_size = 4GB",
            "max_wal_size = 16GB",
            "max_worker_processes = 64",
            "max_parallel_workers_per_gather = 32",
            "max_parallel_workers = 64",
            "max_parallel_maintenance_workers = 4",
        ])
        // > 100 GB, lz4, io_uring; no dw cost warning because the 4 comes from hdd.
        let warnings = PGTune.warnings(for: inputs)
        #expect(warnings.count == 3)
        #expect(warnings.first?.contains("256 GB of RAM is over 100 GB") == true)
    }

    @Test func desktop2GBMac15SSD() {
        // R = 2,097,152; SB = R/16 = 131,072 (128 MB); ECS = R/4 = 512 MB; MWM = R/16 = 128 MB.
        // wal_buffers = 3·131,072/100 = 3932.16 → 3932 kB (under 14 MB, over 32 kB: printed as is).
        // work_mem = (2,097,152 − 131,072) / (3·28) / 6 = 1,966,080 / 504 = 3900.9 → 3900 → 4 MB floor.
        let inputs = TuningInputs(ramBytes: 2 * Self.gb, storage: .ssd, workload: .desktop, majorVersion: 15, os: .mac)
        #expect(Self.lines(inputs) == [
            "max_connections = 20",
            "shared_buffers = 128MB",
            "effective_cache_size = 512MB",
            "maintenance_work_mem = 128MB",
            "checkpoint_completion_target = 0.9",
            "wal_buffers = 3932kB",
            "default_statistics_target = 100",
            "random_page_cost = 1.1",
            "work_mem = 4MB",
            "huge_pages = off",
            "wal_compression = lz4",
            "min_wal_size = 100MB",
            "max_wal_size = 2GB",
            "wal_level = minimal",
            "max_wal_senders = 0",
        ])
    }

    @Test func mixed16GB4CPUWindows16SANLessRAM() {
        // R = 16,777,216; SB = 4 GB; ECS = 12 GB; MWM = R/16 = 1 GB (under the 2 GB Windows cap).
        // P = N = 4; work_mem = (16,777,216 − 4,194,304) / (3·104) / 2 = 12,582,912 / 624 = 20,164.9 → 20,164;
        // × 1.3 = 26,213.2 → 26,213 kB (under the 2047 MB Windows cap). Windows: no effective_io_concurrency.
        let inputs = TuningInputs(ramBytes: 16 * Self.gb, cpus: 4, storage: .san, workload: .mixed,
                                  majorVersion: 16, os: .windows, dataSize: .lessRAM)
        #expect(Self.lines(inputs) == [
            "max_connections = 100",
            "shared_buffers = 4GB",
            "effective_cache_size = 12GB",
            "maintenance_work_mem = 1GB",
            "checkpoint_completion_target = 0.9",
            "wal_buffers = 16MB",
            "default_statistics_target = 100",
            "random_page_cost = 1.1",
            "work_mem = 26213kB",
            "huge_pages = try",
            "jit = off",
            "wal_compression = lz4",
            "min_wal_size = 1GB",
            "max_wal_size = 4GB",
            "max_worker_processes = 4",
            "max_parallel_workers_per_gather = 2",
            "max_parallel_workers = 4",
            "max_parallel_maintenance_workers = 2",
        ])
    }

    @Test func web8GBNoCPUVersion10() {
        // R = 8,388,608; SB = 2,097,152 = exactly 2 GB → huge_pages try; MWM = 512 MB.
        // work_mem = (8,388,608 − 2,097,152) / (3·208) = 6,291,456 / 624 = 10,082.5 → 10,082 kB.
        // Version 10: no jit (12+), wal_compression on (pglz), no io_method; no CPUs: no parallel block.
        let inputs = TuningInputs(ramBytes: 8 * Self.gb, workload: .web, majorVersion: 10)
        #expect(Self.lines(inputs) == [
            "max_connections = 200",
            "shared_buffers = 2GB",
            "effective_cache_size = 6GB",
            "maintenance_work_mem = 512MB",
            "checkpoint_completion_target = 0.9",
            "wal_buffers = 16MB",
            "default_statistics_target = 100",
            "random_page_cost = 1.1",
            "effective_io_concurrency = 200",
            "work_mem = 10082kB",
            "huge_pages = try",
            "wal_compression = on",
            "min_wal_size = 1GB",
            "max_wal_size = 4GB",
        ])
        #expect(PGTune.warnings(for: inputs).isEmpty)
    }

    // MARK: - Version gates

    @Test func parallelMaintenanceWorkersFromVersion11() {
        let v10 = Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: 8, majorVersion: 10))
        #expect(Array(v10.suffix(3)) == [
            "max_worker_processes = 8", "max_parallel_workers_per_gather = 4", "max_parallel_workers = 8",
        ])
        let v11 = Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: 8, majorVersion: 11))
        #expect(v11.last == "max_parallel_maintenance_workers = 4")
        #expect(Self.value("jit", TuningInputs(ramBytes: 8 * Self.gb, majorVersion: 11)) == nil)
    }

    @Test(arguments: [(10, "on"), (14, "on"), (15, "lz4"), (18, "lz4")])
    func walCompressionByVersion(version: Int, expected: String) {
        #expect(Self.value("wal_compression", TuningInputs(ramBytes: 8 * Self.gb, majorVersion: version)) == expected)
    }

    @Test func belowPGTunesVersionListTheOldGatesStillHold() {
        // Version 9 is outside PGTune's list: no wal_compression value is defined, no
        // max_parallel_workers (10+), and Windows caps shared_buffers at 512 MB.
        let inputs = TuningInputs(ramBytes: 8 * Self.gb, cpus: 8, majorVersion: 9, os: .windows)
        #expect(Self.value("wal_compression", inputs) == nil)
        #expect(Self.value("max_parallel_workers", inputs) == nil)
        #expect(Self.value("max_parallel_workers_per_gather", inputs) == "4")
        #expect(Self.value("shared_buffers", inputs) == "512MB")
        // wal_buffers from the capped SB: 3·524,288/100 = 15,728 kB, inside 14–16 MB → 16 MB.
        #expect(Self.value("wal_buffers", inputs) == "16MB")
        // work_mem uses the capped SB too: (8,388,608 − 524,288) / (3·208) = 12,603.1 → 12,603 kB.
        #expect(Self.value("work_mem", inputs) == "12603kB")
        #expect(Self.value("shared_buffers", TuningInputs(ramBytes: 8 * Self.gb, majorVersion: 10, os: .windows))
            == "2GB")
    }

    @Test(arguments: [(Workload.web, "off"), (.oltp, "off"), (.mixed, "off"), (.dw, nil), (.desktop, nil)] as [(Workload, String?)])
    func jitByWorkload(workload: Workload, expected: String?) {
        #expect(Self.value("jit", TuningInputs(ramBytes: 8 * Self.gb, workload: workload, majorVersion: 12)) == expected)
    }

    // MARK: - wal_buffers

    @Test func walBuffersBandAndFloor() {
        // SB = 477,899: 3·477,899/100 = 14,336.97 → 14,336 = exactly 14 MB, not above it → 14MB.
        #expect(Self.value("wal_buffers", Self.kB(4 * 477_899)) == "14MB")
        // SB = 477,900: 14,337 kB is inside (14 MB, 16 MB) → 16MB.
        #expect(Self.value("wal_buffers", Self.kB(4 * 477_900)) == "16MB")
        // SB = 477,866: 3·477,866/100 = 14,335.98 → 14,335 kB, printed in kB.
        #expect(Self.value("wal_buffers", Self.kB(4 * 477_866)) == "14335kB")
        // 512 MB: SB = 131,072; 3·131,072/100 = 3932 kB (well above the floor).
        #expect(Self.value("wal_buffers", TuningInputs(ramBytes: 512 * Self.mb)) == "3932kB")
        // R = 4096 kB: SB = 1024; 3·1024/100 = 30 → 32 kB floor.
        #expect(Self.value("wal_buffers", Self.kB(4096)) == "32kB")
        // SB = 1100: 33 kB, just above the floor.
        #expect(Self.value("wal_buffers", Self.kB(4400)) == "33kB")
        // Desktop 16 MB RAM: SB = 1024 (R/16) → 30 → 32 kB.
        #expect(Self.value("wal_buffers", TuningInputs(ramBytes: 16 * Self.mb, workload: .desktop)) == "32kB")
    }

    // MARK: - work_mem

    @Test func workMemFloorAndFactorOrder() {
        // 1 GB, 500 connections: (1,048,576 − 262,144) / (3·508) = 786,432 / 1524 = 516 → 4 MB floor.
        #expect(Self.value("work_mem", TuningInputs(ramBytes: Self.gb, connections: 500)) == "4MB")
        // 4 GB web, C = 320: 3,145,728 / (3·328) = 3196.9 → 3196 (under 4 MB) but less_ram × 1.3 =
        // 4154.8 → 4154 kB: the factor is applied before the floor.
        let lifted = TuningInputs(ramBytes: 4 * Self.gb, connections: 320, dataSize: .lessRAM)
        #expect(Self.value("work_mem", lifted) == "4154kB")
        #expect(Self.value("work_mem", TuningInputs(ramBytes: 4 * Self.gb, connections: 320)) == "4MB")
        // 4 GB web, C = 240: 3,145,728 / 744 = 4228.1 → 4228; greater_ram × 0.9 = 3805.2 → 3805 → 4 MB floor.
        #expect(Self.value("work_mem", TuningInputs(ramBytes: 4 * Self.gb, connections: 240)) == "4228kB")
        #expect(Self.value("work_mem", TuningInputs(ramBytes: 4 * Self.gb, connections: 240, dataSize: .greaterRAM))
            == "4MB")
    }

    @Test func workMemWindowsCapUpTo17() {
        // 256 GB web, C = 20, no CPUs (P = 8): (268,435,456 − 67,108,864) / (3·28) = 201,326,592 / 84
        // = 2,396,745.1 → 2,396,745 kB, above 2,096,128 kB (2047 MB).
        let base = TuningInputs(ramBytes: 256 * Self.gb, connections: 20)
        #expect(Self.value("work_mem", base) == "2396745kB")
        var windows17 = base
        windows17.os = .windows
        windows17.majorVersion = 17
        #expect(Self.value("work_mem", windows17) == "2047MB")
        var windows18 = windows17
        windows18.majorVersion = 18
        #expect(Self.value("work_mem", windows18) == "2396745kB")
    }

    @Test func workMemUsesCPUsOnlyWithTheParallelBlock() {
        // 4 GB web C = 200. N = 3: P = 8 → 3,145,728 / 624 = 5041.2 → 5041 kB.
        // N = 4: P = 4 → 3,145,728 / 612 = 5140.1 → 5140 kB.
        #expect(Self.value("work_mem", TuningInputs(ramBytes: 4 * Self.gb, cpus: 3)) == "5041kB")
        #expect(Self.value("work_mem", TuningInputs(ramBytes: 4 * Self.gb, cpus: 4)) == "5140kB")
    }

    // MARK: - maintenance_work_mem and autovacuum_work_mem

    @Test func maintenanceWorkMemCaps() {
        // dw 64 GB: R/8 = exactly 8 GB; dw 128 GB: 16 GB → 8 GB; web 256 GB: R/16 = 16 GB → 8 GB.
        #expect(Self.value("maintenance_work_mem", TuningInputs(ramBytes: 64 * Self.gb, workload: .dw)) == "8GB")
        #expect(Self.value("maintenance_work_mem", TuningInputs(ramBytes: 128 * Self.gb, workload: .dw)) == "8GB")
        #expect(Self.value("maintenance_work_mem", TuningInputs(ramBytes: 256 * Self.gb)) == "8GB")
        // web 100 GB: R/16 = 6400 MB, uncapped.
        #expect(Self.value("maintenance_work_mem", TuningInputs(ramBytes: 100 * Self.gb)) == "6400MB")
    }

    @Test func maintenanceWorkMemWindows() {
        // Windows 17, 31 GB: R/16 = 32,505,856/16 = 2,031,616 kB = 1984 MB, under 2 GB.
        let under = TuningInputs(ramBytes: 31 * Self.gb, majorVersion: 17, os: .windows)
        #expect(Self.value("maintenance_work_mem", under) == "1984MB")
        // Windows 17, 32 GB: R/16 = exactly 2 GB, which the server rejects there → 2047 MB,
        // and then no autovacuum_work_mem (2047 MB < 2 GB).
        let exact = TuningInputs(ramBytes: 32 * Self.gb, majorVersion: 17, os: .windows)
        #expect(Self.value("maintenance_work_mem", exact) == "2047MB")
        #expect(Self.value("autovacuum_work_mem", exact) == nil)
        let large = TuningInputs(ramBytes: 64 * Self.gb, workload: .dw, majorVersion: 10, os: .windows)
        #expect(Self.value("maintenance_work_mem", large) == "2047MB")
        // Windows 18: only the 8 GB cap; 64 GB web → 4 GB and autovacuum_work_mem 2 GB.
        let v18 = TuningInputs(ramBytes: 64 * Self.gb, majorVersion: 18, os: .windows)
        #expect(Self.value("maintenance_work_mem", v18) == "4GB")
        #expect(Self.value("autovacuum_work_mem", v18) == "2GB")
        // Linux 17, 32 GB: exactly 2 GB stays 2 GB.
        #expect(Self.value("maintenance_work_mem", TuningInputs(ramBytes: 32 * Self.gb, majorVersion: 17)) == "2GB")
    }

    @Test func autovacuumWorkMemFromTwoGBMaintenance() {
        // 32 GB − 16 kB: R/16 = 2,097,151 kB, 1 kB under 2 GB → no autovacuum_work_mem.
        let below = Self.kB(32 * 1_048_576 - 16)
        #expect(Self.value("maintenance_work_mem", below) == "2097151kB")
        #expect(Self.value("autovacuum_work_mem", below) == nil)
        #expect(Self.value("autovacuum_work_mem", TuningInputs(ramBytes: 32 * Self.gb)) == "2GB")
    }

    // MARK: - huge_pages

    @Test func hugePagesFromTwoGBSharedBuffers() {
        // 8 GB → SB exactly 2 GB → try; 8 GB − 4 kB → SB = 2,097,151 kB → off.
        #expect(Self.value("huge_pages", TuningInputs(ramBytes: 8 * Self.gb)) == "try")
        #expect(Self.value("huge_pages", Self.kB(8 * 1_048_576 - 4)) == "off")
        #expect(Self.value("huge_pages", TuningInputs(ramBytes: 8 * Self.gb, os: .windows)) == "try")
        #expect(Self.value("huge_pages", TuningInputs(ramBytes: 64 * Self.gb, os: .mac)) == "off")
        // desktop 32 GB: SB = R/16 = 2 GB → try; desktop 16 GB: SB = 1 GB → off.
        #expect(Self.value("huge_pages", TuningInputs(ramBytes: 32 * Self.gb, workload: .desktop)) == "try")
        #expect(Self.value("huge_pages", TuningInputs(ramBytes: 16 * Self.gb, workload: .desktop)) == "off")
    }

    // MARK: - CPUs: io_workers, autovacuum_max_workers, parallel block

    @Test func ioWorkersOnlyAboveThreeAndNotWithIOUring() {
        let windows = { (cpus: Int?) in TuningInputs(ramBytes: 8 * Self.gb, cpus: cpus, os: .windows) }
        // ⌊16/4⌋ = 4 > 3 → emitted; ⌊15/4⌋ = 3 → omitted; ⌊64/4⌋ = 16; ⌊200/4⌋ = 50 → 32.
        #expect(Self.value("io_workers", windows(16)) == "4")
        #expect(Self.value("io_workers", windows(15)) == nil)
        #expect(Self.value("io_method", windows(15)) == "worker")
        #expect(Self.value("io_workers", windows(200)) == "32")
        #expect(Self.value("io_workers", windows(nil)) == nil)
        let mac = TuningInputs(ramBytes: 8 * Self.gb, cpus: 64, os: .mac)
        #expect(Self.value("io_method", mac) == "worker")
        #expect(Self.value("io_workers", mac) == "16")
        // Linux 18 uses io_uring: no io_workers however many CPUs.
        let linux = TuningInputs(ramBytes: 8 * Self.gb, cpus: 64, os: .linux)
        #expect(Self.value("io_method", linux) == "io_uring")
        #expect(Self.value("io_workers", linux) == nil)
        // Before 18: neither.
        let windows17 = TuningInputs(ramBytes: 8 * Self.gb, cpus: 64, majorVersion: 17, os: .windows)
        #expect(Self.value("io_method", windows17) == nil)
        #expect(Self.value("io_workers", windows17) == nil)
        // Order: io_method, io_workers, then the WAL sizes.
        let names = PGTune.settings(for: mac).map(\.name)
        #expect(names.firstIndex(of: "io_workers") == names.firstIndex(of: "io_method").map { $0 + 1 })
        #expect(names.firstIndex(of: "min_wal_size") == names.firstIndex(of: "io_workers").map { $0 + 1 })
    }

    @Test(arguments: [(nil, nil), (8, nil), (15, nil), (16, "4"), (31, "4"), (32, "5"), (128, "5")] as [(Int?, String?)])
    func autovacuumMaxWorkers(cpus: Int?, expected: String?) {
        #expect(Self.value("autovacuum_max_workers", TuningInputs(ramBytes: 8 * Self.gb, cpus: cpus)) == expected)
    }

    @Test func parallelBlockFromFourCPUs() {
        let three = Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: 3))
        #expect(!three.contains { $0.hasPrefix("max_worker_processes") || $0.hasPrefix("max_parallel") })
        #expect(Array(Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: 4)).suffix(4)) == [
            "max_worker_processes = 4", "max_parallel_workers_per_gather = 2",
            "max_parallel_workers = 4", "max_parallel_maintenance_workers = 2",
        ])
        // N = 5: ⌈5/2⌉ = 3 (rounded up).
        #expect(Array(Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: 5)).suffix(4)) == [
            "max_worker_processes = 5", "max_parallel_workers_per_gather = 3",
            "max_parallel_workers = 5", "max_parallel_maintenance_workers = 3",
        ])
    }

    /// ⌈N/2⌉ per gather, capped at 4 except for dw; maintenance workers min(⌈N/2⌉, 4) for every workload.
    @Test(arguments: [
        (Workload.web, 9, "4", "4"), (.oltp, 16, "4", "4"), (.mixed, 64, "4", "4"), (.desktop, 12, "4", "4"),
        (.dw, 9, "5", "4"), (.dw, 16, "8", "4"), (.web, 8, "4", "4"), (.web, 6, "3", "3"), (.dw, 7, "4", "4"),
    ])
    func gatherCappedAtFourExceptDW(workload: Workload, cpus: Int, gather: String, maintenance: String) {
        let inputs = TuningInputs(ramBytes: 8 * Self.gb, cpus: cpus, workload: workload)
        #expect(Self.value("max_parallel_workers_per_gather", inputs) == gather)
        #expect(Self.value("max_parallel_maintenance_workers", inputs) == maintenance)
    }

    // MARK: - Per-workload constants

    @Test(arguments: [
        (Workload.web, 200, "1GB", "4GB", "100"), (.oltp, 300, "2GB", "8GB", "100"),
        (.dw, 40, "4GB", "16GB", "500"), (.desktop, 20, "100MB", "2GB", "100"),
        (.mixed, 100, "1GB", "4GB", "100"),
    ])
    func workloadDefaults(workload: Workload, connections: Int, minWAL: String, maxWAL: String, statistics: String) {
        #expect(PGTune.defaultConnections(workload) == connections)
        let inputs = TuningInputs(ramBytes: 8 * Self.gb, workload: workload)
        let settings = PGTune.settings(for: inputs)
        #expect(settings.first?.name == "max_connections")
        #expect(settings.first?.value == "\(connections)")
        #expect(Self.value("min_wal_size", inputs) == minWAL)
        #expect(Self.value("max_wal_size", inputs) == maxWAL)
        #expect(Self.value("default_statistics_target", inputs) == statistics)
    }

    @Test func givenConnectionsAreEmittedAndUsed() {
        // C = 50: work_mem = 3,145,728 / (3·58) = 1,048,576 / 58 = 18,078.9 → 18,078 kB.
        let inputs = TuningInputs(ramBytes: 4 * Self.gb, workload: .oltp, connections: 50)
        #expect(Self.value("max_connections", inputs) == "50")
        #expect(Self.value("work_mem", inputs) == "18078kB")
    }

    // MARK: - Storage

    @Test(arguments: [
        (DataSize.lessRAM, StorageKind.hdd, Workload.dw, "1.1"),
        (.lessRAM, .hdd, .web, "1.1"),
        (.midRAM, .hdd, .web, "4"),
        (.greaterRAM, .hdd, .oltp, "4"),
        (.midRAM, .hdd, .dw, "4"),
        (.midRAM, .ssd, .dw, "4"),
        (.greaterRAM, .nvme, .dw, "4"),
        (.lessRAM, .ssd, .dw, "1.1"),
        (.midRAM, .ssd, .web, "1.1"),
        (.midRAM, .san, .desktop, "1.1"),
        (.greaterRAM, .nvme, .mixed, "1.1"),
    ])
    func randomPageCost(dataSize: DataSize, storage: StorageKind, workload: Workload, expected: String) {
        let inputs = TuningInputs(ramBytes: 8 * Self.gb, storage: storage, workload: workload, dataSize: dataSize)
        #expect(Self.value("random_page_cost", inputs) == expected)
    }

    @Test(arguments: [(StorageKind.hdd, "2"), (.ssd, "200"), (.san, "300"), (.nvme, "1000")])
    func effectiveIOConcurrency(storage: StorageKind, expected: String) {
        #expect(Self.value("effective_io_concurrency", TuningInputs(ramBytes: 8 * Self.gb, storage: storage)) == expected)
        for os in [OperatingSystem.mac, .windows] {
            let inputs = TuningInputs(ramBytes: 8 * Self.gb, storage: storage, os: os)
            #expect(Self.value("effective_io_concurrency", inputs) == nil)
        }
    }

    // MARK: - Warnings

    @Test func memoryWarnings() {
        let low = PGTune.warnings(for: TuningInputs(ramBytes: 255 * Self.mb, majorVersion: 14))
        #expect(low == ["PGTune is not designed for low-memory systems: 255 MB of RAM is under 256 MB, "
                        + "so its values may not be optimal."])
        #expect(PGTune.warnings(for: TuningInputs(ramBytes: 256 * Self.mb, majorVersion: 14)).isEmpty)
        #expect(PGTune.warnings(for: TuningInputs(ramBytes: 100 * Self.gb, majorVersion: 14)).isEmpty)
        let high = PGTune.warnings(for: TuningInputs(ramBytes: 100 * Self.gb + Self.mb, majorVersion: 14))
        #expect(high == ["PGTune is not designed for very high memory systems: 102401 MB of RAM is over 100 GB, "
                         + "so its values may not be optimal."])
    }

    @Test func buildAndCostWarnings() {
        // Linux 18 dw on ssd: lz4, io_uring and the dw cost note, in that order.
        let dw = PGTune.warnings(for: TuningInputs(ramBytes: 8 * Self.gb, workload: .dw))
        #expect(dw.count == 3)
        #expect(dw[0].hasPrefix("wal_compression = lz4"))
        #expect(dw[1].hasPrefix("io_method = io_uring"))
        #expect(dw[2].contains("random_page_cost"))
        // Windows 18: worker, so no io_uring warning.
        #expect(PGTune.warnings(for: TuningInputs(ramBytes: 8 * Self.gb, os: .windows)).count == 1)
        // dw with hdd or with less_ram: random_page_cost is not decided by the dw branch.
        #expect(PGTune.warnings(for: TuningInputs(ramBytes: 8 * Self.gb, storage: .hdd, workload: .dw,
                                                  majorVersion: 14)).isEmpty)
        #expect(PGTune.warnings(for: TuningInputs(ramBytes: 8 * Self.gb, workload: .dw, majorVersion: 14,
                                                  dataSize: .lessRAM)).isEmpty)
    }

    // MARK: - Reasons

    @Test func reasonsShowTheArithmetic() {
        let inputs = TuningInputs(ramBytes: 24 * Self.gb, cpus: 8, workload: .mixed, dataSize: .lessRAM)
        let reasons = Dictionary(uniqueKeysWithValues: PGTune.settings(for: inputs).map { ($0.name, $0.reason) })
        #expect(reasons["shared_buffers"] == "25 % of 24 GB RAM (PGTune: RAM/4)")
        #expect(reasons["effective_cache_size"] == "75 % of 24 GB RAM (PGTune: 3 * RAM/4)")
        #expect(reasons["maintenance_work_mem"] == "24 GB RAM / 16 = 1536 MB (PGTune: RAM/16)")
        // (25,165,824 − 6,291,456) / (3·108) / 2 = 18,874,368 / 648 = 29,127.1 → 29,127; × 1.3 = 37,865.1 → 37,865.
        #expect(reasons["work_mem"] == "(24 GB RAM - 6 GB shared_buffers) / (3 * (100 connections + 8 "
                + "max_worker_processes)) / 2 for mixed = 29127 kB, * 1.3 for data smaller than RAM = 37865 kB (PGTune)")
        #expect(Self.value("work_mem", inputs) == "37865kB")
        #expect(reasons["wal_buffers"]?.hasPrefix("3 % of shared_buffers 6 GB = 188743 kB, capped at 16 MB") == true)
        #expect(PGTune.settings(for: inputs).allSatisfy { !$0.reason.isEmpty })
    }

    // MARK: - Odd inputs never trap

    @Test func cpusBelowOneCountAsNotGiven() {
        let none = Self.lines(TuningInputs(ramBytes: 8 * Self.gb))
        #expect(Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: 0)) == none)
        #expect(Self.lines(TuningInputs(ramBytes: 8 * Self.gb, cpus: -4)) == none)
        // Connections below 1 take the workload default, which is then also the C of work_mem.
        #expect(Self.lines(TuningInputs(ramBytes: 8 * Self.gb, connections: 0)) == none)
    }

    @Test func extremeInputsDoNotTrap() {
        let huge = TuningInputs(ramBytes: .max, cpus: .max, connections: .max, majorVersion: .max)
        #expect(!PGTune.settings(for: huge).isEmpty)
        // R = 0: the memory values that compute to 0 are omitted; wal_buffers and work_mem have floors.
        let zero = PGTune.settings(for: TuningInputs(ramBytes: 0))
        #expect(!zero.contains { ["shared_buffers", "effective_cache_size", "maintenance_work_mem"].contains($0.name) })
        #expect(zero.first { $0.name == "wal_buffers" }?.value == "32kB")
        #expect(zero.first { $0.name == "work_mem" }?.value == "4MB")
        _ = PGTune.settings(for: TuningInputs(ramBytes: .min, cpus: .min, connections: .min, majorVersion: .min))
        _ = PGTune.warnings(for: TuningInputs(ramBytes: .min))
    }
}
