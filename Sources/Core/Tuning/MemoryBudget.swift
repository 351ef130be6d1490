/// The most memory a configuration can ask for at once, itemised: shared buffers, sort and
/// hash memory of the connections running memory-hungry queries and of the parallel workers,
/// and autovacuum workers as the server really allocates for them (``AutovacuumMemory``).
public struct MemoryBudget: Sendable, Equatable {
    /// work_mem a busy connection (or parallel worker) holds on average at peak load. A query may
    /// run several sort and hash nodes (hash nodes at `hash_mem_multiplier` × work_mem, 2 since
    /// PostgreSQL 15) while many run none; postgresqltuner's memory model counts the same 150 %.
    public static let workMemPerConnection = 1.5

    public var sharedBuffersKB: Int64
    public var connections: Int
    /// Share of `connections` running sorts and hashes at the same moment at peak.
    public var busyShare: Double
    public var workMemKB: Int64
    public var parallelWorkers: Int
    public var autovacuumWorkers: Int
    /// The memory one autovacuum worker may take (autovacuum_work_mem, or maintenance_work_mem
    /// when that is -1, capped at 1 GB up to PostgreSQL 16).
    public var autovacuumMemKB: Int64
    /// What all autovacuum workers together can take at once.
    public var autovacuumTotalKB: Int64
    public var ramKB: Int64

    public init(
        sharedBuffersKB: Int64, connections: Int, busyShare: Double = 1, workMemKB: Int64, parallelWorkers: Int = 8,
        autovacuumWorkers: Int = 3, autovacuumMemKB: Int64, autovacuumTotalKB: Int64? = nil, ramKB: Int64
    ) {
        self.sharedBuffersKB = sharedBuffersKB
        self.connections = connections
        self.busyShare = busyShare
        self.workMemKB = workMemKB
        self.parallelWorkers = parallelWorkers
        self.autovacuumWorkers = autovacuumWorkers
        self.autovacuumMemKB = autovacuumMemKB
        self.autovacuumTotalKB = autovacuumTotalKB ?? Int64(autovacuumWorkers) * autovacuumMemKB
        self.ramKB = ramKB
    }

    /// Share of the connections that run sorts and hashes at the same moment at peak: half for
    /// web, OLTP and mixed workloads, whose statements are mostly index lookups that need no
    /// work_mem; all of them for a data warehouse or a desktop, whose few connections run reports.
    public static func busyShare(_ workload: Workload) -> Double {
        switch workload {
        case .web, .oltp, .mixed: 0.5
        case .dw, .desktop: 1
        }
    }

    /// Connections running memory-hungry queries at once: `connections × busyShare`, rounded up.
    public var busyConnections: Int { Int((Double(connections) * busyShare).rounded(.up)) }

    /// Sort and hash memory of the busy connections and all parallel workers.
    public var queryMemoryKB: Int64 {
        Int64((Double(busyConnections + parallelWorkers) * Self.workMemPerConnection * Double(workMemKB)).rounded())
    }

    public var totalKB: Int64 { sharedBuffersKB + queryMemoryKB + autovacuumTotalKB }

    /// Share of RAM the configuration can claim.
    public var share: Double { ramKB > 0 ? Double(totalKB) / Double(ramKB) : 0 }

    /// The budget leaves nothing for the operating system, its page cache and per-backend
    /// overhead: above 90 % of RAM the OOM killer is a matter of load.
    public var overcommits: Bool { share > Self.maximumShare }

    public static let maximumShare = 0.9

    /// The largest work_mem (kB, rounded down to whole MB above 1 MB, at least 64 kB) that keeps
    /// the budget within `maximumShare` of RAM.
    public var safeWorkMemKB: Int64 {
        let available = Double(ramKB) * Self.maximumShare - Double(sharedBuffersKB + autovacuumTotalKB)
        let perUnit = Double(busyConnections + parallelWorkers) * Self.workMemPerConnection
        guard perUnit > 0 else { return 64 }
        let raw = Int64((available / perUnit).rounded(.down))
        if raw >= 1024 { return raw / 1024 * 1024 }
        return max(64, raw)
    }

    /// The same budget with another work_mem.
    public func with(workMemKB: Int64) -> MemoryBudget {
        var copy = self
        copy.workMemKB = workMemKB
        return copy
    }
}
