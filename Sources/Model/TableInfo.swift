/// A user table, partitioned table or materialized view, with its statistics counters.
public struct TableInfo: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case table, partitioned, materializedView = "materialized view"
    }

    public var oid: UInt32
    public var schema: String
    public var name: String
    public var kind: Kind
    public var unlogged: Bool
    /// Set when the table is a partition of another table.
    public var partitionOf: QualifiedName?
    /// Set when the table belongs to an extension.
    public var fromExtension: String?
    /// `pg_class.reltuples`; -1 when never vacuumed or analyzed (PostgreSQL 14+).
    public var estimatedRows: Double
    public var pages: Int64
    public var allVisiblePages: Int64
    /// `pg_class.reloptions`, e.g. `["fillfactor=70", "autovacuum_enabled=false"]`.
    public var options: [String]
    /// The TOAST table's own `reloptions`, where PostgreSQL keeps the `toast.*` storage
    /// parameters without their prefix (`["autovacuum_enabled=false"]` for
    /// `toast.autovacuum_enabled = false`); nil without a TOAST table, and in snapshots written
    /// before pgadvisor collected them.
    public var toastOptions: [String]?
    public var toastPages: Int64
    public var toastRows: Double
    /// `age(relfrozenxid)`, nil for relations without storage.
    public var frozenXidAge: Int64?
    public var toastFrozenXidAge: Int64?
    /// `mxid_age(relminmxid)`.
    public var minMultixactAge: Int64?
    public var columns: [Column]
    /// Counters from `pg_stat_user_tables`; nil when the server has none for it.
    public var activity: TableActivity?
    /// nil when sizes could not be read at all.
    public var size: RelationSize?
    /// Measured free and dead space (`pgstattuple_approx`), only when collected with `--exact`.
    public var exactBloat: ExactBloat?

    public init(
        oid: UInt32 = 0, schema: String, name: String, kind: Kind = .table, unlogged: Bool = false,
        partitionOf: QualifiedName? = nil, fromExtension: String? = nil, estimatedRows: Double = 0,
        pages: Int64 = 0, allVisiblePages: Int64 = 0, options: [String] = [], toastOptions: [String]? = nil,
        toastPages: Int64 = 0,
        toastRows: Double = 0, frozenXidAge: Int64? = nil, toastFrozenXidAge: Int64? = nil,
        minMultixactAge: Int64? = nil, columns: [Column] = [], activity: TableActivity? = nil,
        size: RelationSize? = nil, exactBloat: ExactBloat? = nil
    ) {
        self.oid = oid
        self.schema = schema
        self.name = name
        self.kind = kind
        self.unlogged = unlogged
        self.partitionOf = partitionOf
        self.fromExtension = fromExtension
        self.estimatedRows = estimatedRows
        self.pages = pages
        self.allVisiblePages = allVisiblePages
        self.options = options
        self.toastOptions = toastOptions
        self.toastPages = toastPages
        self.toastRows = toastRows
        self.frozenXidAge = frozenXidAge
        self.toastFrozenXidAge = toastFrozenXidAge
        self.minMultixactAge = minMultixactAge
        self.columns = columns
        self.activity = activity
        self.size = size
        self.exactBloat = exactBloat
    }

    public var qualifiedName: QualifiedName { QualifiedName(schema: schema, name: name) }

    /// The value of a storage parameter, e.g. `option("fillfactor")`; a `toast.` key is read from
    /// the TOAST table's options (`option("toast.autovacuum_enabled")`).
    public func option(_ key: String) -> String? {
        let prefix = "toast."
        if key.lowercased().hasPrefix(prefix), let toastOptions {
            return Self.value(of: String(key.dropFirst(prefix.count)), in: toastOptions)
        }
        return Self.value(of: key, in: options)
    }

    /// Every storage parameter as `WITH (...)` names it: the table's own, then the TOAST table's
    /// with the `toast.` prefix.
    public var storageParameters: [String] {
        options + (toastOptions ?? []).map { "toast." + $0 }
    }

    /// The value of `key` in `key=value` entries, compared without case.
    private static func value(of key: String, in entries: [String]) -> String? {
        for entry in entries {
            guard let eq = entry.firstIndex(of: "=") else { continue }
            if entry[..<eq].lowercased() == key.lowercased() { return String(entry[entry.index(after: eq)...]) }
        }
        return nil
    }

    /// Heap fillfactor in percent (100 unless set).
    public var fillfactor: Int { option("fillfactor").flatMap { Int($0) } ?? 100 }

    /// false when `autovacuum_enabled` is turned off for this table.
    public var autovacuumEnabled: Bool {
        guard let raw = option("autovacuum_enabled")?.lowercased() else { return true }
        return !["false", "off", "no", "0", "f", "n"].contains(raw)
    }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }
}

/// A table column.
public struct Column: Codable, Equatable, Sendable {
    public var name: String
    public var position: Int
    /// `format_type()`, e.g. `integer`, `character varying(80)`, `timestamp with time zone`.
    public var type: String
    public var notNull: Bool
    /// The default expression, e.g. `nextval('orders_id_seq'::regclass)`.
    public var defaultExpression: String?
    /// `always` or `by default` for identity columns.
    public var identity: String?

    public init(
        name: String, position: Int, type: String, notNull: Bool = false, defaultExpression: String? = nil,
        identity: String? = nil
    ) {
        self.name = name
        self.position = position
        self.type = type
        self.notNull = notNull
        self.defaultExpression = defaultExpression
        self.identity = identity
    }
}

/// Cumulative counters of `pg_stat_user_tables`, counted since the statistics were last reset.
public struct TableActivity: Codable, Equatable, Sendable {
    public var seqScans: Int64
    public var seqTuplesRead: Int64
    public var indexScans: Int64?
    public var indexTuplesFetched: Int64?
    public var inserted: Int64
    public var updated: Int64
    public var deleted: Int64
    public var hotUpdated: Int64
    public var liveTuples: Int64
    public var deadTuples: Int64
    public var modifiedSinceAnalyze: Int64
    /// `n_ins_since_vacuum` (PostgreSQL 13+).
    public var insertedSinceVacuum: Int64?
    public var lastVacuum: Timestamp?
    public var lastAutovacuum: Timestamp?
    public var lastAnalyze: Timestamp?
    public var lastAutoanalyze: Timestamp?
    public var vacuumCount: Int64
    public var autovacuumCount: Int64
    public var analyzeCount: Int64
    public var autoanalyzeCount: Int64
    /// `last_seq_scan` (PostgreSQL 16+).
    public var lastSeqScan: Timestamp?

    public init(
        seqScans: Int64 = 0, seqTuplesRead: Int64 = 0, indexScans: Int64? = nil, indexTuplesFetched: Int64? = nil,
        inserted: Int64 = 0, updated: Int64 = 0, deleted: Int64 = 0, hotUpdated: Int64 = 0, liveTuples: Int64 = 0,
        deadTuples: Int64 = 0, modifiedSinceAnalyze: Int64 = 0, insertedSinceVacuum: Int64? = nil,
        lastVacuum: Timestamp? = nil, lastAutovacuum: Timestamp? = nil, lastAnalyze: Timestamp? = nil,
        lastAutoanalyze: Timestamp? = nil, vacuumCount: Int64 = 0, autovacuumCount: Int64 = 0,
        analyzeCount: Int64 = 0, autoanalyzeCount: Int64 = 0, lastSeqScan: Timestamp? = nil
    ) {
        self.seqScans = seqScans
        self.seqTuplesRead = seqTuplesRead
        self.indexScans = indexScans
        self.indexTuplesFetched = indexTuplesFetched
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
        self.hotUpdated = hotUpdated
        self.liveTuples = liveTuples
        self.deadTuples = deadTuples
        self.modifiedSinceAnalyze = modifiedSinceAnalyze
        self.insertedSinceVacuum = insertedSinceVacuum
        self.lastVacuum = lastVacuum
        self.lastAutovacuum = lastAutovacuum
        self.lastAnalyze = lastAnalyze
        self.lastAutoanalyze = lastAutoanalyze
        self.vacuumCount = vacuumCount
        self.autovacuumCount = autovacuumCount
        self.analyzeCount = analyzeCount
        self.autoanalyzeCount = autoanalyzeCount
        self.lastSeqScan = lastSeqScan
    }
}

/// Free and dead space of a table's heap measured by `pgstattuple_approx` (the TOAST table is
/// not included), instead of estimated from statistics.
public struct ExactBloat: Codable, Equatable, Sendable {
    /// `pgstattuple_approx`.
    public var method: String
    /// `table_len`: the heap's size in bytes.
    public var tableBytes: Int64
    /// Share of pages actually read (the rest were all-visible and estimated from the free space map).
    public var scannedPercent: Double
    public var freeBytes: Int64
    public var freePercent: Double
    public var deadTupleBytes: Int64
    public var deadTuplePercent: Double

    public init(
        method: String = "pgstattuple_approx", tableBytes: Int64, scannedPercent: Double, freeBytes: Int64,
        freePercent: Double, deadTupleBytes: Int64, deadTuplePercent: Double
    ) {
        self.method = method
        self.tableBytes = tableBytes
        self.scannedPercent = scannedPercent
        self.freeBytes = freeBytes
        self.freePercent = freePercent
        self.deadTupleBytes = deadTupleBytes
        self.deadTuplePercent = deadTuplePercent
    }
}
