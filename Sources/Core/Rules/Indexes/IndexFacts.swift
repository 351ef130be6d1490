import Model

/// Facts shared by the index rules.
enum IndexFacts {
    /// Bytes of an index: measured size, else `relpages` × block size.
    static func bytes(_ index: IndexInfo, blockSize: Int) -> Int64 {
        index.size?.bytes ?? index.pages * Int64(blockSize)
    }

    /// `bytes` as a share of the database, 0 when the database size is unknown.
    static func shareOfDatabase(_ bytes: Int64, _ snapshot: Snapshot) -> Double {
        guard let total = snapshot.database?.sizeBytes, total > 0 else { return 0 }
        return min(1, Double(bytes) / Double(total))
    }

    /// The tables in the order their first index appears in the snapshot, each once.
    static func tablesWithIndexes(_ snapshot: Snapshot) -> [QualifiedName] {
        var seen: Set<QualifiedName> = []
        var order: [QualifiedName] = []
        for index in snapshot.indexes where seen.insert(index.table).inserted { order.append(index.table) }
        return order
    }

    /// Tables created by an extension's script: their indexes are the extension's business.
    static func ownedByExtension(_ table: QualifiedName, _ facts: SnapshotFacts) -> Bool {
        facts.table(table)?.fromExtension != nil
    }

    /// The caveat for indexes on partitions and partitioned tables, nil for plain tables.
    static func partitionNote(table: QualifiedName, facts: SnapshotFacts) -> String? {
        guard let info = facts.table(table) else { return nil }
        if info.kind == .partitioned {
            return "\(SQLQuoting.qualified(table)) is partitioned: DROP INDEX CONCURRENTLY is not supported on "
                + "partitioned indexes, so the drop locks every partition; run it in a quiet period."
        }
        if let parent = info.partitionOf {
            return "\(SQLQuoting.qualified(table)) is a partition of \(SQLQuoting.qualified(parent)): an index attached "
                + "to an index of the partitioned table cannot be dropped alone; drop the parent's index instead."
        }
        return nil
    }
}
