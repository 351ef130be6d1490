import Model

/// The memory autovacuum workers really take, and the autovacuum_work_mem pgadvisor recommends.
///
/// Each worker vacuums one table and remembers that table's dead tuples:
/// - PostgreSQL 16 and earlier allocate, when the vacuum starts, an array of 6 bytes per tuple
///   the table could hold (`MaxHeapTuplesPerPage` per page), at most autovacuum_work_mem (or
///   maintenance_work_mem when that is -1) and never more than 1 GB;
/// - PostgreSQL 17 and later keep them in a TID store that grows with the dead tuples found, up
///   to the setting (no 1 GB cap), and takes far less per tuple than the array did.
/// So a worker can take its full allowance only on a large table, and the workers run at once
/// on different tables.
public enum AutovacuumMemory {
    /// The 1 GB dead-tuple array limit of PostgreSQL 16 and earlier (`MaxAllocSize`).
    public static let arrayCapKB: Int64 = 1 << 20
    /// The server default maintenance_work_mem: below it autovacuum needs extra index passes on
    /// moderately sized tables.
    public static let minimumKB: Int64 = 65_536
    /// Share of RAM all autovacuum workers together may take: 1/16, PGTune's own
    /// maintenance_work_mem for a single operation.
    public static let ramDivisor: Int64 = 16

    /// The memory one worker can take with `settingKB` (autovacuum_work_mem, or
    /// maintenance_work_mem when -1) on `majorVersion`, vacuuming a table of `pages` pages of
    /// `blockSize` bytes (nil: a table of any size).
    public static func perWorkerKB(settingKB: Int64, majorVersion: Int, pages: Int64? = nil, blockSize: Int = 8192) -> Int64 {
        var kB = settingKB
        if majorVersion <= 16 { kB = min(kB, arrayCapKB) }
        if let pages {
            // MaxHeapTuplesPerPage: (block size − page header 24) / (tuple header 24 + line pointer 4).
            let tuplesPerPage = Int64(max(1, (blockSize - 24) / 28))
            kB = min(kB, max(64, pages * tuplesPerPage * 6 / 1024))
        }
        return kB
    }

    /// The memory `workers` workers can take at once. Without tables every worker counts its
    /// full allowance; with the snapshot's tables, the `workers` largest bound it.
    public static func totalKB(settingKB: Int64, workers: Int, majorVersion: Int, tables: [TableInfo]?, blockSize: Int = 8192) -> Int64 {
        guard let tables, !tables.isEmpty else {
            return Int64(workers) * perWorkerKB(settingKB: settingKB, majorVersion: majorVersion)
        }
        let largest = tables.filter { $0.kind != .partitioned }.map(\.pages).sorted(by: >).prefix(workers)
        return largest.reduce(0) {
            $0 + perWorkerKB(settingKB: settingKB, majorVersion: majorVersion, pages: $1, blockSize: blockSize)
        }
    }

    /// autovacuum_work_mem for the machine: the workers together within 1/16 of RAM, each given
    /// a power of two of at least 64 MB, never more than `ceilingKB` (PGTune's autovacuum_work_mem,
    /// else maintenance_work_mem, which -1 would give them) nor, up to PostgreSQL 16, than 1 GB.
    public static func recommendedKB(ramKB: Int64, workers: Int, majorVersion: Int, ceilingKB: Int64) -> Int64 {
        let share = ramKB / ramDivisor / Int64(max(1, workers))
        var kB = max(minimumKB, ConfigValue.powerOfTwo(atMost: share / 1024) * 1024)
        if majorVersion <= 16 { kB = min(kB, arrayCapKB) }
        return min(kB, ceilingKB)
    }
}
