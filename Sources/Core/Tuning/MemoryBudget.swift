/// The most memory a configuration can ask for at once, itemised: shared buffers, sort and
/// hash memory of every connection and parallel worker, and autovacuum workers.
public struct MemoryBudget: Sendable, Equatable {
    /// work_mem a connection (or parallel worker) holds on average at peak load. A query may run
    /// several sort and hash nodes (hash nodes at `hash_mem_multiplier` × work_mem, 2 since
    /// PostgreSQL 15) while most connections run none at a given moment; postgresqltuner's memory
    /// model counts the same 150 %. PGTune sizes work_mem so that this budget stays near 80 % of RAM.
    public static let workMemPerConnection = 1.5

    public var sharedBuffersKB: Int64
    public var connections: Int
    public var workMemKB: Int64
    public var parallelWorkers: Int
    public var autovacuumWorkers: Int
    /// autovacuum_work_mem, or maintenance_work_mem when that is -1.
    public var autovacuumMemKB: Int64
    public var ramKB: Int64

    public init(
        sharedBuffersKB: Int64, connections: Int, workMemKB: Int64, parallelWorkers: Int = 8, autovacuumWorkers: Int = 3, autovacuumMemKB: Int64, ramKB: Int64
    ) {
        self.sharedBuffersKB = sharedBuffersKB
        self.connections = connections
        self.workMemKB = workMemKB
        self.parallelWorkers = parallelWorkers
        self.autovacuumWorkers = autovacuumWorkers
        self.autovacuumMemKB = autovacuumMemKB
        self.ramKB = ramKB
    }

    /// Sort and hash memory of all connections and parallel workers.
    public var queryMemoryKB: Int64 {
        Int64((Double(connections + parallelWorkers) * Self.workMemPerConnection * Double(workMemKB)).rounded())
    }

    public var autovacuumTotalKB: Int64 { Int64(autovacuumWorkers) * autovacuumMemKB }

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
        let perUnit = Double(connections + parallelWorkers) * Self.workMemPerConnection
        guard perUnit > 0 else { return 64 }
        let raw = Int64((available / perUnit).rounded(.down))
        if raw >= 1024 { return raw / 1024 * 1024 }
        return max(64, raw)
    }
}
