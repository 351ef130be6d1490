import Model
import Planner

/// Adjustments from what the live server does: statements spilling to temporary files,
/// checkpoints requested by WAL volume.
extension ConfigAdvisor {

    /// work_mem for the statements that spill to temporary files, within the memory budget.
    static func spillAdjustment(
        _ snapshot: Snapshot, recommended: [String: (value: String, reason: String)], budget: MemoryBudget
    ) -> ConfigAdjustment? {
        let blockSize = Int64(snapshot.server.blockSize)
        // Real volume only: at least 8 MB written in all and a spill on a typical call.
        let spilling = snapshot.statements.filter {
            $0.calls > 0 && $0.tempBlocksWritten * blockSize >= 8 * 1_048_576
        }
        guard !spilling.isEmpty else { return nil }
        // A sort that spills N bytes needs about twice that in memory to stay there.
        let neededKB = spilling.map { s -> Int64 in
            let perCallKB = s.tempBlocksWritten * blockSize / 1024 / s.calls
            return ConfigValue.powerOfTwo(atLeast: (perCallKB * 2 + 1023) / 1024) * 1024
        }.max() ?? 0
        let current = recommended["work_mem"].flatMap { MemoryUnits.parse($0.value) } ?? 4096
        guard neededKB > current else { return nil }
        let databaseTemp = snapshot.database.map { " pg_stat_database counts \(Format.count($0.tempFiles)) temporary files, \(Format.bytes($0.tempBytes))." } ?? ""
        let roles = Array(Set(spilling.compactMap(\.userName))).sorted()
        if neededKB <= budget.safeWorkMemKB {
            return ConfigAdjustment(
                kind: .workMemForSpills, setting: "work_mem", value: MemoryUnits.display(kB: neededKB),
                detail: "\(spilling.count) statement(s) spill to temporary files (up to "
                    + "\(MemoryUnits.display(kB: neededKB / 2)) per call); work_mem \(MemoryUnits.display(kB: neededKB)) keeps "
                    + "them in memory and the budget stays within 90 % of RAM.\(databaseTemp)")
        }
        return ConfigAdjustment(
            kind: .workMemPerRole, setting: "work_mem", value: nil,
            detail: "\(spilling.count) statement(s) spill to temporary files and would need work_mem "
                + "\(MemoryUnits.display(kB: neededKB)), but raising it for every connection would overcommit memory "
                + "(safe at most \(MemoryUnits.display(kB: budget.safeWorkMemKB))). Raise it only where it is needed: "
                + (roles.isEmpty ? "SET work_mem in the sessions that run them"
                    : roles.map { StatementSQL.inline(StatementSQL.alterRoleSet($0, "work_mem", MemoryUnits.display(kB: neededKB))) }
                        .joined(separator: "; "))
                + ", or SET LOCAL work_mem in the transactions that run them.\(databaseTemp)")
    }

    /// max_wal_size from the share of checkpoints requested by WAL volume.
    static func walAdjustment(_ snapshot: Snapshot, recommended: [String: (value: String, reason: String)]) -> ConfigAdjustment? {
        guard let c = snapshot.checkpoints else { return nil }
        let total = c.timed + c.requested
        guard total >= 10 else { return nil }
        let share = Double(c.requested) / Double(total)
        guard share > 0.2, let current = kB(snapshot, "max_wal_size") else { return nil }
        let proposed = max(current * 2, recommended["max_wal_size"].flatMap { MemoryUnits.parse($0.value) } ?? 0)
        return ConfigAdjustment(
            kind: .maxWalSize, setting: "max_wal_size", value: MemoryUnits.display(kB: proposed),
            detail: "\(percent(share)) of checkpoints (\(c.requested) of \(total)) were requested because WAL reached "
                + "max_wal_size \(MemoryUnits.display(kB: current)) before checkpoint_timeout: "
                + "\(MemoryUnits.display(kB: proposed)) spaces them out (fewer full-page writes, less I/O).")
    }
}
