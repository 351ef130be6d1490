import Model

/// Whether two snapshots can be compared: of the same database of the same cluster, the
/// older one first.
public enum SnapshotPair {
    /// What makes two snapshots not comparable.
    public enum Mismatch: Equatable, Sendable, CustomStringConvertible {
        /// NEW was collected before OLD.
        case newIsOlder(old: Timestamp, new: Timestamp)
        case otherDatabase(old: String, new: String)
        /// Different `system_identifier`: another cluster (or one made anew by initdb, a restore, an upgrade).
        case otherCluster(old: String, new: String)

        public var description: String {
            switch self {
            case .newIsOlder(let old, let new):
                "NEW was collected at \(new.iso8601), before OLD (\(old.iso8601))"
            case .otherDatabase(let old, let new):
                "OLD is of database \(old), NEW of database \(new)"
            case .otherCluster(let old, let new):
                "OLD is of the cluster with system identifier \(old), NEW of \(new)"
            }
        }

        /// Whether counters may be compared across it (with --allow-other-server they are not).
        public var separatesCounters: Bool {
            if case .newIsOlder = self { false } else { true }
        }
    }

    /// Every mismatch, in the order above; empty when the pair is comparable.
    public static func mismatches(old: Snapshot, new: Snapshot) -> [Mismatch] {
        var out: [Mismatch] = []
        if new.collectedAt < old.collectedAt { out.append(.newIsOlder(old: old.collectedAt, new: new.collectedAt)) }
        if old.server.database != new.server.database {
            out.append(.otherDatabase(old: old.server.database, new: new.server.database))
        }
        if let a = old.server.systemIdentifier, let b = new.server.systemIdentifier, a != b {
            out.append(.otherCluster(old: a, new: b))
        }
        return out
    }
}
