/// PGTune's current-generation calculator (le0pard/pgtune, the generation whose default is
/// PostgreSQL 18), reproduced exactly so that pgadvisor can show what PGTune would say and why.
///
/// The formulas are those of docs `config-formulas.md` §1.3, in kB with integer floors as written
/// there (`R` = RAM in kB, `SB` = shared_buffers, `C` = max_connections, `N` = CPUs). Where the
/// reference leaves a detail open, the most literal reading is taken and the decision is noted
/// next to the code. PGTune's quirks (§1.6) are kept on purpose: this is the compatibility mode,
/// not pgadvisor's own advice.
///
/// Inputs are validated elsewhere; this type never traps on odd values: CPUs below 1 count as
/// "not given", connections below 1 take the workload default (so that the emitted
/// max_connections is the C used in work_mem), and arithmetic that could overflow saturates.
public enum PGTune {
    /// PGTune's max_connections when none is given: web 200, oltp 300, dw 40, desktop 20, mixed 100.
    public static func defaultConnections(_ workload: Workload) -> Int {
        switch workload {
        case .web: 200
        case .oltp: 300
        case .dw: 40
        case .desktop: 20
        case .mixed: 100
        }
    }

    /// The settings PGTune emits for `inputs`, in PGTune's fixed order (§1.4), without those
    /// PGTune omits (a memory value of 0, OS and version gates), with values printed as PGTune
    /// prints them (memory as `{n}GB`, `{n}MB` or `{n}kB`; everything else raw).
    public static func settings(for inputs: TuningInputs) -> [RecommendedSetting] {
        let b = Basis(inputs)
        var out: [RecommendedSetting] = []
        func add(_ name: String, _ value: String, _ reason: String) {
            out.append(RecommendedSetting(name: name, value: value, reason: reason))
        }
        // §1.4: "a parameter whose computed value is null/0/empty is omitted". Only memory values
        // can compute to 0 (RAM under 4 kB); max_wal_senders = 0 is a chosen value, not a
        // computed one, and PGTune emits it (wal_level = minimal requires it).
        func addMemory(_ name: String, _ kB: Int64, _ reason: String) {
            if kB != 0 { add(name, MemoryUnits.format(kB: kB), reason) }
        }

        add("max_connections", "\(b.connections)", b.connectionsReason)
        addMemory("shared_buffers", b.sharedBuffers, b.sharedBuffersReason)
        let cache = effectiveCacheSize(b)
        addMemory("effective_cache_size", cache.kB, cache.reason)
        addMemory("maintenance_work_mem", b.maintenanceWorkMem, b.maintenanceWorkMemReason)
        add("checkpoint_completion_target", "0.9",
            "PGTune uses 0.9 for every workload (also the server default since PostgreSQL 14)")
        let walBuffers = walBuffers(b)
        addMemory("wal_buffers", walBuffers.kB, walBuffers.reason)
        add("default_statistics_target", b.workload == .dw ? "500" : "100",
            "PGTune: 500 for a data warehouse, 100 for the other workloads (\(b.workload.rawValue))")
        let cost = randomPageCost(b)
        add("random_page_cost", cost.value, cost.reason)
        if let io = effectiveIOConcurrency(b) { add("effective_io_concurrency", io.value, io.reason) }
        let workMem = workMem(b)
        addMemory("work_mem", workMem.kB, workMem.reason)
        let hugePages = hugePages(b)
        add("huge_pages", hugePages.value, hugePages.reason)
        if let jit = jit(b) { add("jit", jit.value, jit.reason) }
        if let compression = walCompression(b) { add("wal_compression", compression.value, compression.reason) }
        if let workers = autovacuumMaxWorkers(b) { add("autovacuum_max_workers", workers.value, workers.reason) }
        if b.maintenanceWorkMem >= 2 * MemoryUnits.kBPerGB {
            // The final maintenance_work_mem is compared, so Windows with PostgreSQL ≤ 17 (capped at
            // 2047 MB) never gets autovacuum_work_mem: 2 GB is above that platform's maximum too.
            addMemory("autovacuum_work_mem", 2 * MemoryUnits.kBPerGB,
                      "maintenance_work_mem \(MemoryUnits.prose(kB: b.maintenanceWorkMem)) is at least 2 GB: "
                          + "PGTune limits each autovacuum worker to 2 GB")
        }
        if let method = ioMethod(b) { add("io_method", method.value, method.reason) }
        if let workers = ioWorkers(b) { add("io_workers", workers.value, workers.reason) }
        let wal = walSizes(b.workload)
        addMemory("min_wal_size", wal.min,
                  "PGTune's fixed size for the \(b.workload.rawValue) workload (web and mixed 1 GB, oltp 2 GB, "
                      + "dw 4 GB, desktop 100 MB)")
        addMemory("max_wal_size", wal.max,
                  "PGTune's fixed size for the \(b.workload.rawValue) workload (web and mixed 4 GB, oltp 8 GB, "
                      + "dw 16 GB, desktop 2 GB)")
        if let n = b.parallelCPUs {
            add("max_worker_processes", "\(n)", "\(n) CPUs: PGTune starts one worker process per CPU")
            let half = n / 2 + n % 2
            let gather = b.workload == .dw ? half : min(half, 4)
            let gatherRule = b.workload == .dw
                ? " (PGTune sets no cap for a data warehouse)"
                : (half > 4 ? ", capped at 4" : "") + " (PGTune caps it at 4 except for dw)"
            add("max_parallel_workers_per_gather", "\(gather)", "ceil(\(n) CPUs / 2) = \(half)" + gatherRule)
            if b.version >= 10 {
                add("max_parallel_workers", "\(n)", "\(n) CPUs (PGTune, PostgreSQL 10 and later)")
            }
            if b.version >= 11 {
                add("max_parallel_maintenance_workers", "\(min(half, 4))",
                    "min(ceil(\(n) CPUs / 2), 4) = \(min(half, 4)) (PGTune, PostgreSQL 11 and later)")
            }
        }
        if b.workload == .desktop {
            add("wal_level", "minimal",
                "desktop: PGTune writes only the WAL needed for crash recovery; this disables "
                    + "point-in-time recovery and replication and needs a restart")
            add("max_wal_senders", "0", "wal_level = minimal requires max_wal_senders = 0 (PGTune, desktop)")
        }
        return out
    }

    /// PGTune's warnings for `inputs`, as plain sentences, in PGTune's order: RAM under 256 MB,
    /// RAM over 100 GB, the lz4 build, the io_uring build, data-warehouse cost parameters.
    public static func warnings(for inputs: TuningInputs) -> [String] {
        let b = Basis(inputs)
        var out: [String] = []
        let ram = MemoryUnits.prose(kB: b.ramKB)
        if inputs.ramBytes < 256 * 1_048_576 {
            out.append("PGTune is not designed for low-memory systems: \(ram) of RAM is under 256 MB, "
                       + "so its values may not be optimal.")
        } else if inputs.ramBytes > 100 * 1_073_741_824 {
            out.append("PGTune is not designed for very high memory systems: \(ram) of RAM is over 100 GB, "
                       + "so its values may not be optimal.")
        }
        if walCompression(b)?.value == "lz4" {
            out.append("wal_compression = lz4 needs a server built with lz4 support (--with-lz4, as the "
                       + "standard packages are); otherwise use wal_compression = on.")
        }
        if ioMethod(b)?.value == "io_uring" {
            out.append("io_method = io_uring needs a server built with liburing (--with-liburing); "
                       + "otherwise keep io_method = worker.")
        }
        if randomPageCost(b).isDataWarehouseDefault {
            out.append("PGTune leaves random_page_cost at 4 and the other planner cost parameters at their "
                       + "defaults for a data warehouse; review them for your storage and queries.")
        }
        return out
    }

    // MARK: - Formulas

    /// The inputs after PGTune's derivations shared by several settings.
    private struct Basis {
        let workload: Workload
        let os: OperatingSystem
        let version: Int
        let storage: StorageKind
        let dataSize: DataSize
        /// R: RAM in kB.
        let ramKB: Int64
        /// N, nil when not given or below 1.
        let cpus: Int?
        /// C: the given connections (when ≥ 1) or the workload's default.
        let connections: Int
        let connectionsReason: String
        let sharedBuffers: Int64
        let sharedBuffersReason: String
        let maintenanceWorkMem: Int64
        let maintenanceWorkMemReason: String

        init(_ inputs: TuningInputs) {
            workload = inputs.workload
            os = inputs.os
            version = inputs.majorVersion
            storage = inputs.storage
            dataSize = inputs.dataSize
            ramKB = inputs.ramKB
            cpus = inputs.cpus.flatMap { $0 >= 1 ? $0 : nil }
            if let given = inputs.connections, given >= 1 {
                connections = given
                connectionsReason = "\(given) connections as given"
            } else {
                connections = PGTune.defaultConnections(workload)
                connectionsReason = "PGTune's default for the \(workload.rawValue) workload (web 200, oltp 300, "
                    + "dw 40, desktop 20, mixed 100)"
            }
            let ram = MemoryUnits.prose(kB: ramKB)

            var sb: Int64
            var sbReason: String
            if workload == .desktop {
                sb = ramKB / 16
                sbReason = "6.25 % of \(ram) RAM (PGTune: RAM/16 for desktop)"
            } else {
                sb = ramKB / 4
                sbReason = "25 % of \(ram) RAM (PGTune: RAM/4)"
            }
            // Unreachable with PGTune's version list (10 ... 18); kept because it is PGTune's rule.
            let windowsLimit = 512 * MemoryUnits.kBPerMB
            if os == .windows && version < 10 && sb > windowsLimit {
                sb = windowsLimit
                sbReason += ", capped at 512 MB on Windows before PostgreSQL 10"
            }
            sharedBuffers = sb
            sharedBuffersReason = sbReason

            let divisor: Int64 = workload == .dw ? 8 : 16
            var mwm = ramKB / divisor
            var mwmReason = "\(ram) RAM / \(divisor) = \(MemoryUnits.prose(kB: mwm)) (PGTune: RAM/\(divisor)"
                + (workload == .dw ? " for dw)" : ")")
            let cap = 8 * MemoryUnits.kBPerGB
            if mwm >= cap {
                mwm = cap
                mwmReason += ", capped at 8 GB"
            }
            // Windows with PostgreSQL ≤ 17: PGTune caps at 2 GB and writes any capped value as
            // 2047 MB. A value of exactly 2 GB counts as capped (the reference's "capped value"),
            // because 2048 MB is precisely what the server rejects there (le0pard/pgtune#21).
            let windowsCap = 2 * MemoryUnits.kBPerGB
            if os == .windows && version <= 17 && mwm >= windowsCap {
                mwm = windowsCap - MemoryUnits.kBPerMB
                mwmReason += ", capped at 2047 MB (PostgreSQL 17 and earlier on Windows reject 2 GB)"
            }
            maintenanceWorkMem = mwm
            maintenanceWorkMemReason = mwmReason
        }

        /// N when PGTune emits the parallel block: CPUs given and at least 4.
        var parallelCPUs: Int? { cpus.flatMap { $0 >= 4 ? $0 : nil } }
    }

    private static func effectiveCacheSize(_ b: Basis) -> (kB: Int64, reason: String) {
        let ram = MemoryUnits.prose(kB: b.ramKB)
        if b.workload == .desktop {
            return (b.ramKB / 4, "25 % of \(ram) RAM (PGTune: RAM/4 for desktop)")
        }
        // ⌊3R/4⌋, not 3·⌊R/4⌋: the two differ when R is not a multiple of 4.
        return (3 * b.ramKB / 4, "75 % of \(ram) RAM (PGTune: 3 * RAM/4)")
    }

    private static func walBuffers(_ b: Basis) -> (kB: Int64, reason: String) {
        let maximum = 16 * MemoryUnits.kBPerMB
        let near = 14 * MemoryUnits.kBPerMB
        let raw = 3 * b.sharedBuffers / 100
        var reason = "3 % of shared_buffers \(MemoryUnits.prose(kB: b.sharedBuffers)) = \(raw) kB"
        var w = raw
        if w > maximum {
            w = maximum
            reason += ", capped at 16 MB"
        }
        if w > near && w < maximum {
            w = maximum
            reason += ", rounded up to 16 MB (PGTune rounds values between 14 and 16 MB up)"
        }
        if w < 32 {
            w = 32
            reason += ", raised to the 32 kB minimum"
        }
        return (w, reason + " (PGTune imitates the server's own wal_buffers sizing)")
    }

    /// random_page_cost, and whether it is the data-warehouse branch that PGTune warns about.
    private static func randomPageCost(_ b: Basis) -> (value: String, reason: String, isDataWarehouseDefault: Bool) {
        if b.dataSize == .lessRAM {
            return ("1.1", "data smaller than RAM stays cached, so random reads cost about as much as "
                        + "sequential ones (PGTune: 1.1 for less_ram on any storage)", false)
        }
        if b.storage == .hdd {
            return ("4", "spinning disks: random reads are expensive (PGTune: 4 for hdd)", false)
        }
        // The warning belongs to this branch only (§1.3: "else T = dw → 4 (with a warning)"):
        // with hdd the 4 comes from the storage, and with less_ram PGTune chooses 1.1.
        if b.workload == .dw {
            return ("4", "data warehouse: PGTune keeps the default 4 (with a warning to review cost parameters)", true)
        }
        return ("1.1", "\(b.storage.rawValue) storage: random reads cost about as much as sequential ones "
                    + "(PGTune: 1.1 unless hdd or dw)", false)
    }

    private static func effectiveIOConcurrency(_ b: Basis) -> (value: String, reason: String)? {
        guard b.os == .linux else { return nil }
        let value = switch b.storage {
        case .hdd: 2
        case .ssd: 200
        case .san: 300
        case .nvme: 1000
        }
        return ("\(value)", "\(b.storage.rawValue) storage on Linux (PGTune: hdd 2, ssd 200, san 300, nvme 1000)")
    }

    /// work_mem: `(R − SB) / (3·(C + P))`, divided per workload, scaled by data size, then the
    /// 4 MB floor and the Windows cap.
    ///
    /// Decisions: the divisions are one floor of the exact quotient (`⌊⌊x⌋/2⌋ = ⌊x/2⌋`), done in
    /// integers step by step so that no product can overflow; the data-size factor is applied to
    /// the floored value and floored again in integers (`⌊w·13/10⌋`, `⌊w·9/10⌋`, which equals what
    /// floating point gives); the factor comes before the floor and the cap, in the reference's
    /// order, so `less_ram` can lift a value above 4 MB and `greater_ram` can push one under it.
    private static func workMem(_ b: Basis) -> (kB: Int64, reason: String) {
        let c = Int64(b.connections)
        let p = Int64(b.parallelCPUs ?? 8)
        let (cp, overflow) = c.addingReportingOverflow(p)
        let slots = overflow ? Int64.max : cp
        let divisor: Int64 = switch b.workload {
        case .web, .oltp: 1
        case .dw, .mixed: 2
        case .desktop: 6
        }
        let available = b.ramKB - b.sharedBuffers
        var w = available / 3 / slots / divisor
        var reason = "(\(MemoryUnits.prose(kB: b.ramKB)) RAM - \(MemoryUnits.prose(kB: b.sharedBuffers)) "
            + "shared_buffers) / (3 * (\(c) connections + \(p) "
            + (b.parallelCPUs == nil ? "default max_worker_processes" : "max_worker_processes") + "))"
            + (divisor == 1 ? "" : " / \(divisor) for \(b.workload.rawValue)") + " = \(w) kB"
        switch b.dataSize {
        case .lessRAM:
            w = w * 13 / 10
            reason += ", * 1.3 for data smaller than RAM = \(w) kB"
        case .greaterRAM:
            w = w * 9 / 10
            reason += ", * 0.9 for data over 3 times RAM = \(w) kB"
        case .midRAM:
            break
        }
        let floor = 4 * MemoryUnits.kBPerMB
        if w < floor {
            w = floor
            reason += ", raised to the 4 MB floor"
        }
        let windowsCap = 2 * MemoryUnits.kBPerGB - MemoryUnits.kBPerMB
        if b.os == .windows && b.version <= 17 && w > windowsCap {
            w = windowsCap
            reason += ", capped at 2047 MB (PostgreSQL 17 and earlier on Windows)"
        }
        return (w, reason + " (PGTune)")
    }

    private static func hugePages(_ b: Basis) -> (value: String, reason: String) {
        if b.os == .mac {
            return ("off", "macOS: PostgreSQL cannot use huge pages there (PGTune: off)")
        }
        let sb = MemoryUnits.prose(kB: b.sharedBuffers)
        if b.sharedBuffers >= 2 * MemoryUnits.kBPerGB {
            return ("try", "shared_buffers \(sb) is at least 2 GB (PGTune: try from 2 GB)")
        }
        return ("off", "shared_buffers \(sb) is under 2 GB (PGTune: off below 2 GB; the server default is try)")
    }

    private static func jit(_ b: Basis) -> (value: String, reason: String)? {
        guard b.version >= 12, [.web, .oltp, .mixed].contains(b.workload) else { return nil }
        return ("off", "JIT compilation slows short \(b.workload.rawValue) queries (PGTune: off for web, oltp "
                    + "and mixed on PostgreSQL 12 and later)")
    }

    /// wal_compression: lz4 from PostgreSQL 15, `on` (pglz) for 10 ... 14; omitted below 10
    /// (outside PGTune's version list, which names no value for it).
    private static func walCompression(_ b: Basis) -> (value: String, reason: String)? {
        if b.version >= 15 {
            return ("lz4", "PostgreSQL 15 and later compress full-page writes with lz4, lighter on CPU than pglz (PGTune)")
        }
        if b.version >= 10 {
            return ("on", "PostgreSQL \(b.version) compresses full-page writes with pglz (PGTune: on for 10 to 14)")
        }
        return nil
    }

    private static func autovacuumMaxWorkers(_ b: Basis) -> (value: String, reason: String)? {
        guard let n = b.cpus, n >= 16 else { return nil }
        let value = n >= 32 ? 5 : 4
        return ("\(value)", "\(n) CPUs (PGTune: 4 from 16 CPUs, 5 from 32; the server default 3 otherwise)")
    }

    private static func ioMethod(_ b: Basis) -> (value: String, reason: String)? {
        guard b.version >= 18 else { return nil }
        if b.os == .linux {
            return ("io_uring", "PostgreSQL \(b.version) on Linux (PGTune: io_uring; needs --with-liburing)")
        }
        return ("worker", "PostgreSQL \(b.version) on \(b.os == .mac ? "macOS" : "Windows"), which has no io_uring "
                    + "(PGTune: worker)")
    }

    /// io_workers: `min(32, max(3, ⌊N/4⌋))` with PostgreSQL 18, CPUs given and io_method other
    /// than io_uring; emitted only above the server default 3.
    private static func ioWorkers(_ b: Basis) -> (value: String, reason: String)? {
        guard let n = b.cpus, b.version >= 18, ioMethod(b)?.value != "io_uring" else { return nil }
        let value = min(32, max(3, n / 4))
        guard value > 3 else { return nil }
        return ("\(value)", "min(32, max(3, \(n) CPUs / 4)) = \(value) for io_method = worker (PGTune)")
    }

    /// min_wal_size and max_wal_size in kB, fixed per workload.
    private static func walSizes(_ workload: Workload) -> (min: Int64, max: Int64) {
        let mb = MemoryUnits.kBPerMB
        let gb = MemoryUnits.kBPerGB
        return switch workload {
        case .web, .mixed: (1 * gb, 4 * gb)
        case .oltp: (2 * gb, 8 * gb)
        case .dw: (4 * gb, 16 * gb)
        case .desktop: (100 * mb, 2 * gb)
        }
    }
}
