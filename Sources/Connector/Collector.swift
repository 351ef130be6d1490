import Model
import Planner

/// Reads everything the analysis needs from a live server into a `Snapshot`.
///
/// Each source is read by one query from `sql/`. A source that is missing, not permitted or
/// failing is recorded in `Snapshot.sources` with its reason and what to do, and collection
/// goes on; only losing the connection (or failing the first probe) stops it.
public struct Collector {
    let connection: Connection
    let options: CollectorOptions

    public init(connection: Connection, options: CollectorOptions = CollectorOptions()) {
        self.connection = connection
        self.options = options
    }

    public func collect(generator: String = "pgadvisor") throws -> Snapshot {
        var run = CollectionRun(connection: connection)
        let probe: QueryResult
        do {
            probe = try connection.query(CatalogQueries.named("probe"))
        } catch let error as ConnectorError {
            throw ConnectorError(kind: error.kind, sqlState: error.sqlState,
                                 message: "could not read basic server facts: " + error.message, advice: error.advice)
        }
        guard let p = probe.first else {
            throw ConnectorError(kind: .decoding, message: "the server returned no row for the current role",
                                 advice: "check that the role can read pg_roles")
        }
        let server = ServerInfo(
            versionNumber: try p["version_number"].int(), version: try p["version"].string(),
            versionDetail: try p["version_detail"].string(), database: try p["database"].string(),
            inRecovery: try p["in_recovery"].bool(), startedAt: try p["started_at"].optionalTimestamp(),
            blockSize: try p["block_size"].int(), systemIdentifier: try p["system_identifier"].optionalString())
        let role = RoleInfo(
            name: try p["role_name"].string(), isSuperuser: try p["is_superuser"].bool(),
            pgMonitor: try p["pg_monitor"].optionalBool() ?? false,
            pgReadAllStats: try p["pg_read_all_stats"].optionalBool() ?? false,
            pgReadAllData: try p["pg_read_all_data"].optionalBool() ?? false,
            pgStatScanTables: try p["pg_stat_scan_tables"].optionalBool() ?? false)
        var snapshot = Snapshot(
            generator: generator, collectedAt: try p["collected_at"].timestamp(), server: server, role: role)
        run.database = server.database
        run.record(SourceStatus(name: "server", state: .collected, rows: 1))

        snapshot.settings = try run.read("settings", "settings") { try readSettings($0) } ?? []
        snapshot.extensions = try run.read("extensions", "extensions") { try readExtensions($0) } ?? []
        try collectStatements(into: &snapshot, run: &run)
        try collectTables(into: &snapshot, run: &run)
        snapshot.indexes = try run.readChunked("indexes", "indexes") { try readIndexes($0) } ?? []
        run.noteUndeparsed("indexes", snapshot.indexes.filter { $0.definition == nil }.map { "\($0.qualifiedName)" })
        try collectSizes(into: &snapshot, run: &run)
        try collectColumnStats(into: &snapshot, run: &run)
        snapshot.constraints = try run.readChunked("constraints", "constraints") { try readConstraints($0) } ?? []
        run.noteUndeparsed("constraints", snapshot.constraints.filter { $0.definition == nil }.map { "\($0.table).\($0.name)" })
        try collectSequences(into: &snapshot, run: &run)
        try collectSessions(into: &snapshot, run: &run)
        snapshot.lockWaits = try run.read("lock_waits", "lock_waits") { try readLockWaits($0) } ?? []
        snapshot.database = try run.read("database", "database") { try readDatabase($0) } ?? nil
        snapshot.databases = try run.read("databases", "databases") { try readDatabases($0) } ?? []
        snapshot.roleSettings = try run.read("role_settings", "role_settings") { try readRoleSettings($0) }
        let checkpointQuery = server.versionNumber >= 170_000 ? "checkpoints/checkpointer" : "checkpoints/bgwriter"
        snapshot.checkpoints = try run.read("checkpoints", checkpointQuery) { try readCheckpoints($0) } ?? nil
        try collectIO(into: &snapshot, run: &run)
        if options.exactBloat { try collectExactBloat(into: &snapshot, run: &run) }
        snapshot.sources = run.sources
        return snapshot
    }

    /// `pgstattuple_approx` of the largest tables, when asked for (`audit --exact`).
    private func collectExactBloat(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard let ext = snapshot.extension("pgstattuple"), ext.installedVersion != nil else {
            let available = snapshot.extension("pgstattuple")?.isAvailable ?? false
            run.record(SourceStatus(
                name: "exact_bloat", state: .missing,
                reason: "the pgstattuple extension is not created in database \(snapshot.server.database)",
                fix: available ? "run \(StatementSQL.createExtension("pgstattuple")) as a superuser, or drop --exact"
                    : "install PostgreSQL's contrib modules, \(StatementSQL.inline(StatementSQL.createExtension("pgstattuple"))), or drop --exact"))
            return
        }
        let role = snapshot.role
        guard role.isSuperuser || role.pgStatScanTables else {
            run.record(SourceStatus(
                name: "exact_bloat", state: .denied,
                reason: "role \(role.name) may not execute pgstattuple functions",
                fix: StatementSQL.grantRole("pg_stat_scan_tables", to: role.name)))
            return
        }
        guard let rows = try run.read("exact_bloat", "exact_bloat", inSchema: ext.schema ?? "public", { try readExactBloat($0) })
        else { return }
        for i in snapshot.tables.indices {
            if let measured = rows[snapshot.tables[i].oid] { snapshot.tables[i].exactBloat = measured }
        }
    }

    // MARK: - Sources with extra logic

    /// `pg_stat_io`, which PostgreSQL 16 introduced; marked missing with the reason before that.
    private func collectIO(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard snapshot.server.versionNumber >= 160_000 else {
            run.record(SourceStatus(
                name: "pg_stat_io", state: .missing,
                reason: "pg_stat_io appeared in PostgreSQL 16; this server runs \(snapshot.server.version)",
                fix: "upgrade to PostgreSQL 16 or newer for I/O statistics by process type"))
            return
        }
        snapshot.io = try run.read("pg_stat_io", "io") { try readIO($0) }
    }

    private func collectStatements(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        let database = snapshot.server.database
        let preloaded = SettingList.entries(snapshot.setting("shared_preload_libraries")?.value ?? "")
            .contains("pg_stat_statements")
        let settingsKnown = snapshot.source("settings")?.isUsable ?? false
        guard let ext = snapshot.extension("pg_stat_statements"), let version = ext.installedVersion else {
            let available = snapshot.extension("pg_stat_statements")?.isAvailable ?? false
            let status: SourceStatus
            if !available && snapshot.source("extensions")?.isUsable == true {
                status = SourceStatus(
                    name: "pg_stat_statements", state: .missing,
                    reason: "the pg_stat_statements extension is not installed on the server",
                    fix: "install PostgreSQL's contrib modules (Debian: postgresql-\(snapshot.server.majorVersion)), "
                        + "add pg_stat_statements to shared_preload_libraries, restart, then "
                        + StatementSQL.inline(StatementSQL.createExtension("pg_stat_statements")))
            } else if preloaded || !settingsKnown {
                status = SourceStatus(
                    name: "pg_stat_statements", state: .missing,
                    reason: "pg_stat_statements is loaded but not created in database \(database)",
                    fix: "run \(StatementSQL.createExtension("pg_stat_statements")) in database \(database) (as a superuser)")
            } else {
                status = SourceStatus(
                    name: "pg_stat_statements", state: .missing,
                    reason: "pg_stat_statements is not loaded (shared_preload_libraries) nor created in database \(database)",
                    fix: "add pg_stat_statements to shared_preload_libraries, restart the server, then run "
                        + "\(StatementSQL.createExtension("pg_stat_statements")) in database \(database)")
            }
            run.record(status)
            return
        }
        if settingsKnown && !preloaded {
            run.record(SourceStatus(
                name: "pg_stat_statements", state: .missing,
                reason: "the extension is created (version \(version)) but the library is not in shared_preload_libraries",
                fix: "add pg_stat_statements to shared_preload_libraries and restart the server"))
            return
        }
        let schema = ext.schema ?? "public"
        let rows = try run.readChunked("pg_stat_statements", "statements", inSchema: schema) { try readStatements($0) }
        guard let rows else { return }
        let hidden = rows.filter { $0.query == nil }.count
        snapshot.statements = rows
        var info = StatementsInfo(
            extensionVersion: version, track: snapshot.setting("pg_stat_statements.track")?.value, hiddenEntries: hidden)
        if VersionString(version) >= VersionString("1.9") {
            if let row = try run.read("pg_stat_statements_info", "statements_info", inSchema: schema, { $0.first }) ?? nil {
                info.deallocations = try row["dealloc"].optionalInt64()
                info.statsReset = try row["stats_reset"].optionalTimestamp()
            }
        }
        snapshot.statementsInfo = info
        if hidden > 0 {
            run.update("pg_stat_statements") { status in
                status.state = .partial
                status.reason = "\(hidden) of \(rows.count) entries belong to other roles and their text is hidden"
                status.fix = StatementSQL.grantRole("pg_read_all_stats", to: snapshot.role.name)
            }
        }
    }

    private func collectTables(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard var tables = try run.readChunked("tables", "tables", { try readTables($0) }) else { return }
        var columns: [UInt32: [Column]] = [:]
        var locked: Set<UInt32> = []
        let read = try run.readChunks("columns", "columns") { chunk in
            let (some, lockedSome) = try readColumns(chunk)
            columns.merge(some) { $0 + $1 }
            locked.formUnion(lockedSome)
        }
        if read {
            for i in tables.indices {
                tables[i].columns = columns[tables[i].oid] ?? []
            }
            run.noteUndeparsed("columns", tables.filter { locked.contains($0.oid) }.map { "\($0.qualifiedName)" })
        }
        snapshot.tables = tables
    }

    /// Sizes come last among relation facts: they are the only reads that lock relations.
    private func collectSizes(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard !snapshot.tables.isEmpty || !snapshot.indexes.isEmpty else {
            run.record(SourceStatus(name: "relation_sizes", state: .collected))
            return
        }
        var sizes: [UInt32: (RelationSize, String?)]?
        var lockFailures = 0
        // A lock taken between the check in relation_sizes.sql and the size call makes the query
        // fail on lock_timeout; the next attempt sees that lock and skips the relation.
        while sizes == nil {
            do {
                sizes = try readSizes(try connection.query(CatalogQueries.named("relation_sizes")))
            } catch let error as ConnectorError where error.sqlState == SQLState.lockNotAvailable && lockFailures < 2 {
                lockFailures += 1
            } catch let error as ConnectorError where error.kind != .connection {
                run.record(CollectionRun.status(for: error, source: "relation_sizes", database: snapshot.server.database))
                break
            }
        }
        let blockSize = Int64(snapshot.server.blockSize)
        var details: [String] = []
        /// The measured size, noting relations that were only estimated because they were locked.
        func lookup(_ oid: UInt32, _ name: QualifiedName) -> RelationSize? {
            guard let (size, lockedBy) = sizes?[oid] else { return nil }
            if let lockedBy {
                details.append("\(name): size estimated from pg_class.relpages; "
                    + "ACCESS EXCLUSIVE lock held or awaited by \(lockedBy)")
            }
            return size
        }
        let indexBytesByTable = Dictionary(grouping: snapshot.indexes, by: \.tableOid)
            .mapValues { $0.reduce(Int64(0)) { $0 + $1.pages * blockSize } }
        for (i, table) in snapshot.tables.enumerated() {
            snapshot.tables[i].size = lookup(table.oid, table.qualifiedName) ?? RelationSize(
                bytes: (table.pages + table.toastPages) * blockSize, toastBytes: table.toastPages * blockSize,
                indexBytes: indexBytesByTable[table.oid] ?? 0, measured: false)
        }
        for (i, index) in snapshot.indexes.enumerated() {
            snapshot.indexes[i].size = lookup(index.oid, index.qualifiedName)
                ?? RelationSize(bytes: index.pages * blockSize, measured: false)
        }
        guard sizes != nil else { return }
        if details.isEmpty {
            run.record(SourceStatus(name: "relation_sizes", state: .collected, rows: sizes?.count ?? 0))
        } else {
            run.record(SourceStatus(
                name: "relation_sizes", state: .partial,
                reason: "\(details.count) relations were locked by other sessions; their sizes are estimates",
                fix: "take another snapshot when the locks are released", rows: sizes?.count ?? 0, details: details))
        }
    }

    private func collectColumnStats(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard let stats = try run.readChunked("column_stats", "column_stats", { try readColumnStats($0) }) else { return }
        snapshot.columnStats = stats
        let withStats = Set(stats.map { QualifiedName(schema: $0.schema, name: $0.table) })
        let lacking = snapshot.tables.filter {
            $0.kind != .partitioned && $0.estimatedRows > 0 && !$0.columns.isEmpty && !withStats.contains($0.qualifiedName)
        }
        if !lacking.isEmpty {
            run.update("column_stats") { status in
                status.state = .partial
                status.reason = "no planner statistics visible for \(lacking.count) tables with rows "
                    + "(never analyzed, or the role may not SELECT them)"
                status.fix = "run ANALYZE on them, or " + StatementSQL.grantReadAllData(to: snapshot.role.name)
                status.details = lacking.prefix(50).map { "\($0.qualifiedName): no pg_stats rows" }
            }
        }
    }

    private func collectSequences(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard let sequences = try run.readChunked("sequences", "sequences", { try readSequences($0) }) else { return }
        snapshot.sequences = sequences
        let locked = sequences.filter { $0.lastValueState == .locked }
        let denied = sequences.filter { $0.lastValueState == .notPermitted }
        guard !locked.isEmpty || !denied.isEmpty else { return }
        run.update("sequences") { status in
            status.state = .partial
            var reasons: [String] = []
            if !denied.isEmpty { reasons.append("\(denied.count) sequences may not be read by the role") }
            if !locked.isEmpty { reasons.append("\(locked.count) sequences were locked by other sessions") }
            status.reason = reasons.joined(separator: "; ")
            status.fix = denied.isEmpty
                ? "take another snapshot when the locks are released"
                : StatementSQL.grantReadSequences(to: snapshot.role.name)
            status.details = (denied + locked).map { "\($0.qualifiedName): last value \($0.lastValueState.rawValue)" }
        }
    }

    private func collectSessions(into snapshot: inout Snapshot, run: inout CollectionRun) throws {
        guard let sessions = try run.read("sessions", "sessions", { try readSessions($0) }) else { return }
        snapshot.sessions = sessions
        // Without pg_read_all_stats, other roles' sessions come back with backend_type, state and query NULL.
        let hidden = sessions.filter { ($0.backendType == nil || $0.backendType == "client backend") && $0.state == nil && $0.user != nil }.count
        if hidden > 0 {
            run.update("sessions") { status in
                status.state = .partial
                status.reason = "\(hidden) sessions of other roles show no state or query"
                status.fix = StatementSQL.grantRole("pg_read_all_stats", to: snapshot.role.name)
            }
        }
    }
}

/// Bookkeeping of one collection: runs queries and records each source's outcome.
struct CollectionRun {
    let connection: Connection
    var database = "this database"
    private(set) var sources: [SourceStatus] = []

    init(connection: Connection) {
        self.connection = connection
    }

    mutating func record(_ status: SourceStatus) {
        sources.removeAll { $0.name == status.name }
        sources.append(status)
    }

    /// Marks a source partial when some objects' definitions were not deparsed because
    /// another session held their table ACCESS EXCLUSIVE.
    mutating func noteUndeparsed(_ name: String, _ objects: [String]) {
        guard !objects.isEmpty else { return }
        update(name) { status in
            status.state = .partial
            status.reason = "\(objects.count) definitions were not read: their tables were locked ACCESS EXCLUSIVE "
                + "by another session"
            status.fix = "take another snapshot when the locks are released"
            status.details = objects.map { "\($0): definition not read (locked)" }
        }
    }

    mutating func update(_ name: String, _ change: (inout SourceStatus) -> Void) {
        guard let i = sources.firstIndex(where: { $0.name == name }) else { return }
        change(&sources[i])
    }

    /// Runs `sql/<query>.sql` and parses it; records the source as collected, or as missing /
    /// denied / failed and returns nil. Rethrows only when the connection itself is lost.
    mutating func read<T>(
        _ source: String, _ query: String, inSchema schema: String? = nil, _ parse: (QueryResult) throws -> T
    ) throws -> T? {
        var value: T?
        guard try readChunks(source, query, inSchema: schema, chunkSize: .max, { value = try parse($0) }) else { return nil }
        return value
    }

    /// Like `read`, for large results: `parse` sees the rows a chunk at a time as they arrive and
    /// its values are concatenated, so the whole result is never held as text.
    mutating func readChunked<T>(
        _ source: String, _ query: String, inSchema schema: String? = nil, _ parse: (QueryResult) throws -> [T]
    ) throws -> [T]? {
        var items: [T] = []
        guard try readChunks(source, query, inSchema: schema, { items.append(contentsOf: try parse($0)) }) else { return nil }
        return items
    }

    /// Runs `sql/<query>.sql`, handing its rows to `each` in chunks; false when the source
    /// could not be read (recorded). A failure in the middle discards what `each` was given:
    /// the caller's partial values are dropped with the nil.
    mutating func readChunks(
        _ source: String, _ query: String, inSchema schema: String? = nil, chunkSize: Int = 1000,
        _ each: (QueryResult) throws -> Void
    ) throws -> Bool {
        do {
            let rows: Int
            if let schema {
                // The extension's objects are found through the search_path, set for this
                // transaction only; the server quotes the schema name.
                rows = try connection.transaction {
                    try connection.query(
                        "-- pgadvisor: search_path for an extension\n"
                            + "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1) || ', pg_catalog', true)",
                        [schema])
                    return try connection.forEachChunk(CatalogQueries.named(query), chunkSize: chunkSize, each)
                }
            } else {
                rows = try connection.forEachChunk(CatalogQueries.named(query), chunkSize: chunkSize, each)
            }
            record(SourceStatus(name: source, state: .collected, rows: rows))
            return true
        } catch let error as ConnectorError {
            if error.kind == .connection { throw error }
            record(CollectionRun.status(for: error, source: source, database: database))
            return false
        }
    }

    static func status(for error: ConnectorError, source: String, database: String) -> SourceStatus {
        switch error.sqlState {
        case SQLState.insufficientPrivilege:
            return SourceStatus(name: source, state: .denied, reason: error.message,
                                fix: "connect as a role that is a member of pg_monitor (GRANT pg_monitor TO ...)")
        case SQLState.undefinedTable, SQLState.undefinedFunction, SQLState.undefinedObject:
            return SourceStatus(name: source, state: .missing, reason: error.message,
                                fix: "this server version or configuration does not provide it")
        case SQLState.objectNotInPrerequisiteState:
            return SourceStatus(name: source, state: .missing, reason: error.message,
                                fix: error.advice ?? "check shared_preload_libraries and restart the server")
        case SQLState.lockNotAvailable:
            return SourceStatus(name: source, state: .failed,
                                reason: "gave up waiting for a lock held by another session (lock_timeout)",
                                fix: "take another snapshot later, or raise --lock-timeout")
        case SQLState.queryCanceled:
            return SourceStatus(name: source, state: .failed,
                                reason: "the query ran past statement_timeout and was cancelled",
                                fix: "raise --statement-timeout")
        default:
            return SourceStatus(name: source, state: .failed, reason: error.description,
                                fix: "run sql/\(source).sql by hand in \(database) to see the problem")
        }
    }
}

/// Dotted version numbers compared numerically: "1.10" > "1.9".
struct VersionString: Comparable {
    let parts: [Int]
    init(_ text: String) {
        parts = text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }
    static func < (lhs: VersionString, rhs: VersionString) -> Bool {
        for i in 0..<max(lhs.parts.count, rhs.parts.count) {
            let l = i < lhs.parts.count ? lhs.parts[i] : 0
            let r = i < rhs.parts.count ? rhs.parts[i] : 0
            if l != r { return l < r }
        }
        return false
    }
}
