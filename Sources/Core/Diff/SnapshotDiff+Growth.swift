import Model

extension SnapshotDiff {
    /// The `top` tables that grew most, then the indexes.
    static func sizeGrowth(old: Snapshot, new: Snapshot, top: Int) -> (tables: [SizeChange], indexes: [SizeChange]) {
        let oldTables = Dictionary(old.tables.compactMap { t in t.size.map { (t.qualifiedName, $0.bytes) } }, uniquingKeysWith: max)
        let tables = new.tables.compactMap { t in
            t.size.map { SizeChange(kind: .table, relation: t.qualifiedName, oldBytes: oldTables[t.qualifiedName], newBytes: $0.bytes) }
        }
        let oldIndexes = Dictionary(old.indexes.compactMap { i in i.size.map { (i.qualifiedName, $0.bytes) } }, uniquingKeysWith: max)
        let indexes = new.indexes.compactMap { i in
            i.size.map { SizeChange(kind: .index, relation: i.qualifiedName, oldBytes: oldIndexes[i.qualifiedName], newBytes: $0.bytes) }
        }
        return (largest(tables, top), largest(indexes, top))
    }

    /// The `top` relations whose wasted space grew most, tables and btree indexes together, by
    /// the same estimates the audit's bloat rules use.
    static func bloatGrowth(old: Snapshot, new: Snapshot, top: Int) -> [SizeChange] {
        let before = wasted(old), after = wasted(new)
        let changes = after.map { key, bytes in
            SizeChange(kind: key.kind, relation: key.name, oldBytes: before[key], newBytes: bytes)
        }
        return largest(changes, top)
    }

    /// The database's size at both snapshots, when both have it.
    static func databaseGrowth(old: Snapshot, new: Snapshot) -> SizeChange? {
        guard let a = old.database?.sizeBytes, let b = new.database?.sizeBytes else { return nil }
        return SizeChange(kind: .database, relation: nil, oldBytes: a, newBytes: b)
    }

    private struct BloatKey: Hashable {
        var kind: SizeChange.Kind
        var name: QualifiedName
    }

    /// Estimated waste of every table and btree index the model can judge.
    private static func wasted(_ snapshot: Snapshot) -> [BloatKey: Int64] {
        let facts = SnapshotFacts(snapshot)
        let blockSize = snapshot.server.blockSize
        var out: [BloatKey: Int64] = [:]
        for table in snapshot.tables {
            if let e = HeapBloatEstimate.assess(table, facts: facts, blockSize: blockSize).estimate {
                out[BloatKey(kind: .tableBloat, name: table.qualifiedName)] = e.wastedBytes
            }
        }
        for index in snapshot.indexes where index.isValid {
            if case .success(let e) = BtreeBloatEstimate.estimate(
                for: index, stats: facts.columnStats(index.table), table: facts.table(index.table), blockSize: blockSize,
                maxAlign: facts.maxAlign) {
                out[BloatKey(kind: .indexBloat, name: index.qualifiedName)] = e.wastedBytes
            }
        }
        return out
    }

    /// The `top` changes that grew, most bytes first, then by name.
    private static func largest(_ changes: [SizeChange], _ top: Int) -> [SizeChange] {
        Array(changes.filter { $0.deltaBytes > 0 }
            .sorted { ($0.deltaBytes, $1.relation?.description ?? "") > ($1.deltaBytes, $0.relation?.description ?? "") }
            .prefix(top))
    }
}
