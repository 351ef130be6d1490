import Model

/// How much a relation (or the space it wastes) grew between two snapshots.
public struct SizeChange: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// A table's size with TOAST (`pg_table_size`).
        case table
        /// An index's size.
        case index
        /// A table's wasted space (the audit's estimate, or pgstattuple when measured).
        case tableBloat = "table-bloat"
        /// A btree index's wasted space (the audit's estimate).
        case indexBloat = "index-bloat"
        /// The database (`pg_database_size`).
        case database
    }

    public var kind: Kind
    /// The relation, nil for the database.
    public var relation: QualifiedName?
    /// nil when OLD does not have the relation (or no estimate).
    public var oldBytes: Int64?
    public var newBytes: Int64

    public init(kind: Kind, relation: QualifiedName?, oldBytes: Int64?, newBytes: Int64) {
        self.kind = kind
        self.relation = relation
        self.oldBytes = oldBytes
        self.newBytes = newBytes
    }

    public var deltaBytes: Int64 { newBytes - (oldBytes ?? 0) }

    /// The growth as a share of the old size; nil when there was none.
    public var growth: Double? {
        guard let oldBytes, oldBytes > 0 else { return nil }
        return Double(deltaBytes) / Double(oldBytes)
    }
}
