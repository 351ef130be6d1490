import Model

/// The readable overview of a snapshot that `pgadvisor audit` prints: the server, where the
/// space is, which statements take the time and which run most often, how each index is used,
/// and which sources could not be read.
public struct SnapshotSummary: Codable, Equatable, Sendable {
    public var schemaVersion: Int
    public var server: Server
    public var sizes: Sizes
    public var statements: Statements
    /// The most used indexes: scans, tuples read and fetched, size; by scans descending.
    public var indexUsage: [IndexUsage]
    /// Sources that were not (fully) collected, with why and what to do.
    public var skipped: [SkippedSource]

    public struct Server: Codable, Equatable, Sendable {
        public var version: String
        public var versionNumber: Int
        public var database: String
        public var role: String
        /// What the role may see: `superuser`, `pg_monitor`, `pg_read_all_stats` or `limited`.
        public var visibility: String
        public var inRecovery: Bool
        public var collectedAt: Timestamp
        public var startedAt: Timestamp?
        public var statsResetAt: Timestamp?
    }

    public struct Sizes: Codable, Equatable, Sendable {
        public var databaseBytes: Int64?
        public var tables: Int
        public var indexes: Int
        public var tableBytes: Int64
        public var indexBytes: Int64
        /// true when every size was measured rather than estimated from pg_class.relpages.
        public var allMeasured: Bool
        public var largestTables: [TableSize]
    }

    public struct TableSize: Codable, Equatable, Sendable {
        public var table: QualifiedName
        public var totalBytes: Int64
        public var tableBytes: Int64
        public var indexBytes: Int64
        public var estimatedRows: Double
        public var measured: Bool
    }

    public struct Statements: Codable, Equatable, Sendable {
        /// false when pg_stat_statements could not be read (see `skipped`).
        public var available: Bool
        public var count: Int
        public var totalExecTime: Double
        public var totalCalls: Int64
        public var top: [TopStatement]
        /// The most frequent statements: by calls descending (the runbooks' "most frequent queries").
        public var frequent: [TopStatement]
    }

    /// One index's usage counters from `pg_stat_user_indexes` and its size.
    public struct IndexUsage: Codable, Equatable, Sendable {
        public var index: QualifiedName
        public var table: QualifiedName
        public var method: String
        /// `idx_scan`: scans started on the index.
        public var scans: Int64
        /// `idx_tup_read`: index entries returned (for BRIN, pages × 10: not a row count).
        public var tuplesRead: Int64
        /// `idx_tup_fetch`: live table rows fetched by simple index scans.
        public var tuplesFetched: Int64
        public var sizeBytes: Int64
        public var measured: Bool
    }

    public struct TopStatement: Codable, Equatable, Sendable {
        public var queryId: Int64?
        public var calls: Int64
        public var totalExecTime: Double
        public var meanExecTime: Double
        /// Share of the total execution time of all statements, 0...1.
        public var share: Double
        public var rowsPerCall: Double
        public var sharedHitRatio: Double?
        public var query: String
    }

    public struct SkippedSource: Codable, Equatable, Sendable {
        public var source: String
        public var state: String
        public var reason: String
        public var fix: String?
    }
}

extension SnapshotSummary {
    /// The overview of `snapshot`; every ranked list holds at most `top` entries (`audit --top`).
    public init(_ snapshot: Snapshot, top: Int = 10) {
        schemaVersion = Snapshot.currentSchemaVersion
        server = Server(snapshot)
        sizes = Sizes(snapshot, top: top)
        statements = Statements(snapshot, top: top)
        indexUsage = Self.indexUsage(snapshot, top: top)
        skipped = snapshot.sources.filter { $0.state != .collected }.map {
            SkippedSource(source: $0.name, state: $0.state.rawValue, reason: $0.reason ?? $0.state.rawValue, fix: $0.fix)
        }
    }

    /// Indexes by scans, then size, then name: the ones the workload leans on first.
    static func indexUsage(_ snapshot: Snapshot, top: Int) -> [IndexUsage] {
        let rows = snapshot.indexes.map { index in
            IndexUsage(
                index: index.qualifiedName, table: index.table, method: index.method, scans: index.scans,
                tuplesRead: index.tuplesRead, tuplesFetched: index.tuplesFetched,
                sizeBytes: index.size?.bytes ?? index.pages * Int64(snapshot.server.blockSize),
                measured: index.size?.measured ?? false)
        }
        let ranked = rows.sorted { a, b in
            if a.scans != b.scans { return a.scans > b.scans }
            if a.sizeBytes != b.sizeBytes { return a.sizeBytes > b.sizeBytes }
            return a.index < b.index
        }
        return Array(ranked.prefix(top))
    }
}

extension SnapshotSummary.Server {
    init(_ snapshot: Snapshot) {
        let role = snapshot.role
        let visibility = role.isSuperuser ? "superuser"
            : role.pgMonitor ? "pg_monitor" : role.pgReadAllStats ? "pg_read_all_stats" : "limited"
        self.init(
            version: snapshot.server.version, versionNumber: snapshot.server.versionNumber,
            database: snapshot.server.database, role: role.name, visibility: visibility,
            inRecovery: snapshot.server.inRecovery, collectedAt: snapshot.collectedAt,
            startedAt: snapshot.server.startedAt, statsResetAt: snapshot.database?.statsReset)
    }
}

extension SnapshotSummary.Sizes {
    /// Totals over tables and indexes, and the `top` largest tables.
    init(_ snapshot: Snapshot, top: Int) {
        let tableSizes = snapshot.tables.filter { $0.kind != .partitioned }.map { table in
            SnapshotSummary.TableSize(
                table: table.qualifiedName, totalBytes: table.size?.totalBytes ?? 0, tableBytes: table.size?.bytes ?? 0,
                indexBytes: table.size?.indexBytes ?? 0, estimatedRows: max(table.estimatedRows, 0),
                measured: table.size?.measured ?? false)
        }
        let largest = tableSizes.sorted { ($0.totalBytes, $1.table) > ($1.totalBytes, $0.table) }
        self.init(
            databaseBytes: snapshot.database?.sizeBytes, tables: snapshot.tables.count, indexes: snapshot.indexes.count,
            tableBytes: tableSizes.reduce(0) { $0 + $1.tableBytes },
            indexBytes: tableSizes.reduce(0) { $0 + $1.indexBytes },
            allMeasured: snapshot.tables.allSatisfy { $0.size?.measured ?? false }
                && snapshot.indexes.allSatisfy { $0.size?.measured ?? false },
            largestTables: Array(largest.prefix(top)))
    }
}

extension SnapshotSummary.Statements {
    /// The `top` statements by total execution time and the `top` by calls.
    init(_ snapshot: Snapshot, top: Int) {
        // With pg_stat_statements.track = all, nested statements are counted inside their
        // callers as well: shares are computed over top-level statements only.
        let counted = snapshot.statements.filter { $0.toplevel ?? true }
        let total = counted.reduce(0.0) { $0 + $1.totalExecTime }
        let readable = counted.filter { $0.query != nil }
        let byTime = readable.sorted { ($0.totalExecTime, $1.queryId ?? 0) > ($1.totalExecTime, $0.queryId ?? 0) }
        let byCalls = readable.sorted { ($0.calls, $0.totalExecTime, $1.queryId ?? 0) > ($1.calls, $1.totalExecTime, $0.queryId ?? 0) }
        func row(_ s: StatementStats) -> SnapshotSummary.TopStatement {
            SnapshotSummary.TopStatement(
                queryId: s.queryId, calls: s.calls, totalExecTime: s.totalExecTime, meanExecTime: s.meanExecTime,
                share: total > 0 ? s.totalExecTime / total : 0,
                rowsPerCall: s.calls > 0 ? Double(s.rows) / Double(s.calls) : 0,
                sharedHitRatio: s.sharedHitRatio, query: s.query ?? "")
        }
        self.init(
            available: snapshot.source("pg_stat_statements")?.isUsable ?? false, count: snapshot.statements.count,
            totalExecTime: total, totalCalls: counted.reduce(0) { $0 + $1.calls },
            top: byTime.prefix(top).map(row), frequent: byCalls.prefix(top).map(row))
    }
}
