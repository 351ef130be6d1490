/// An index with its definition, flags, usage counters and size.
public struct IndexInfo: Codable, Equatable, Sendable {
    public var oid: UInt32
    public var schema: String
    public var name: String
    public var table: QualifiedName
    public var tableOid: UInt32
    /// Access method: `btree`, `hash`, `gin`, `gist`, `brin`, `spgist`, ...
    public var method: String
    /// `pg_get_indexdef()`: the full CREATE INDEX statement. nil when it could not be read
    /// without waiting (another session held the table ACCESS EXCLUSIVE): then expression
    /// columns and the predicate are unknown too.
    public var definition: String?
    /// Key columns first, then INCLUDE columns.
    public var columns: [IndexColumn]
    public var isUnique: Bool
    public var isPrimary: Bool
    public var isExclusion: Bool
    /// false after a failed CREATE INDEX CONCURRENTLY: never used for reads.
    public var isValid: Bool
    /// true when the index is maintained on writes (even if not valid).
    public var isReady: Bool
    public var isLive: Bool
    /// The index `REPLICA IDENTITY USING INDEX` names (`pg_index.indisreplident`): logical
    /// replication identifies rows by it. nil in snapshots written before it was collected.
    public var isReplicaIdentity: Bool?
    /// The WHERE clause of a partial index.
    public var predicate: String?
    /// The constraint this index backs (primary key, unique, exclusion).
    public var constraint: String?
    public var pages: Int64
    public var estimatedRows: Double
    /// Counters from `pg_stat_user_indexes`, since the statistics were last reset.
    public var scans: Int64
    public var tuplesRead: Int64
    public var tuplesFetched: Int64
    /// `last_idx_scan` (PostgreSQL 16+).
    public var lastScan: Timestamp?
    public var size: RelationSize?

    public init(
        oid: UInt32 = 0, schema: String, name: String, table: QualifiedName, tableOid: UInt32 = 0,
        method: String = "btree", definition: String? = "", columns: [IndexColumn] = [], isUnique: Bool = false,
        isPrimary: Bool = false, isExclusion: Bool = false, isValid: Bool = true, isReady: Bool = true,
        isLive: Bool = true, isReplicaIdentity: Bool? = nil, predicate: String? = nil, constraint: String? = nil, pages: Int64 = 0,
        estimatedRows: Double = 0, scans: Int64 = 0, tuplesRead: Int64 = 0, tuplesFetched: Int64 = 0,
        lastScan: Timestamp? = nil, size: RelationSize? = nil
    ) {
        self.oid = oid
        self.schema = schema
        self.name = name
        self.table = table
        self.tableOid = tableOid
        self.method = method
        self.definition = definition
        self.columns = columns
        self.isUnique = isUnique
        self.isPrimary = isPrimary
        self.isExclusion = isExclusion
        self.isValid = isValid
        self.isReady = isReady
        self.isLive = isLive
        self.isReplicaIdentity = isReplicaIdentity
        self.predicate = predicate
        self.constraint = constraint
        self.pages = pages
        self.estimatedRows = estimatedRows
        self.scans = scans
        self.tuplesRead = tuplesRead
        self.tuplesFetched = tuplesFetched
        self.lastScan = lastScan
        self.size = size
    }

    public var qualifiedName: QualifiedName { QualifiedName(schema: schema, name: name) }
    public var keyColumns: [IndexColumn] { columns.filter(\.isKey) }
}

/// One column (or expression) of an index.
public struct IndexColumn: Codable, Equatable, Sendable {
    /// The table column, nil for an expression.
    public var column: String?
    /// The expression text for an expression column (e.g. `lower(email)`), nil for a plain column.
    public var expression: String?
    /// false for INCLUDE columns.
    public var isKey: Bool
    /// Operator class (`int4_ops`, `text_pattern_ops`, ...); nil for INCLUDE columns.
    public var opclass: String?
    public var descending: Bool
    public var nullsFirst: Bool
    /// A collation other than the column's default, if any.
    public var collation: String?

    public init(
        column: String?, expression: String? = nil, isKey: Bool = true, opclass: String? = nil,
        descending: Bool = false, nullsFirst: Bool = false, collation: String? = nil
    ) {
        self.column = column
        self.expression = expression
        self.isKey = isKey
        self.opclass = opclass
        self.descending = descending
        self.nullsFirst = nullsFirst
        self.collation = collation
    }
}
