import Model

extension SnapshotDiff {
    /// Indexes that became unused or used in the window, then those created and dropped; each
    /// group by name.
    static func indexChanges(old: Snapshot, new: Snapshot, reset: Bool) -> [IndexUsageChange] {
        let before = Dictionary(old.indexes.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.indexes.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [IndexUsageChange] = []
        for (name, index) in after {
            guard let o = before[name] else {
                changes.append(IndexUsageChange(kind: .created, index: name, table: index.table, oldScans: nil,
                                                newScans: index.scans, windowScans: index.scans, basis: .window,
                                                sizeBytes: index.size?.bytes))
                continue
            }
            let window = CounterWindow.between(before: (o.scans, 0), after: (index.scans, 0), reset: reset)
            let kind: IndexUsageChange.Kind
            if o.scans > 0 && window.calls == 0 { kind = .becameUnused }
            else if o.scans == 0 && window.calls > 0 { kind = .becameUsed }
            else { continue }
            changes.append(IndexUsageChange(kind: kind, index: name, table: index.table, oldScans: o.scans,
                                            newScans: index.scans, windowScans: window.calls,
                                            basis: window.restarted ? .sinceReset : .window, sizeBytes: index.size?.bytes))
        }
        for (name, index) in before where after[name] == nil {
            changes.append(IndexUsageChange(kind: .dropped, index: name, table: index.table, oldScans: index.scans,
                                            newScans: nil, windowScans: 0, basis: .window, sizeBytes: index.size?.bytes))
        }
        let order = Dictionary(uniqueKeysWithValues: IndexUsageChange.Kind.allCases.enumerated().map { ($1, $0) })
        return changes.sorted { (order[$0.kind] ?? 0, $0.index) < (order[$1.kind] ?? 0, $1.index) }
    }
}
