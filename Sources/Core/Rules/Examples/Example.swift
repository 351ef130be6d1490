import Model

/// Builders for the small snapshots in rule examples: a PostgreSQL 15 server, statistics
/// counting for 30 days, default settings, every source collected. Examples pass only what
/// they are about. `package`, not `public`: the rules' examples and the package's tests build
/// with them; they are no part of what Core offers a client.
package enum Example {
    /// The moment every example snapshot is taken.
    package static let now = Timestamp(microseconds: 1_769_860_800_000_000)  // 2026-01-31T12:00:00Z

    /// A time `days` (and `seconds`) before ``now``.
    package static func ago(days: Double = 0, seconds: Double = 0) -> Timestamp {
        Timestamp(microseconds: now.microseconds - Int64((days * 86_400 + seconds) * 1_000_000))
    }

    /// The machine of the examples that need one (`audit --ram 24GB --cpus 2`).
    package static let machine = TuningInputs(ramBytes: 24 << 30, cpus: 2, majorVersion: 15)

    /// The sources a full collection records.
    package static let sourceNames = [
        "server", "settings", "extensions", "pg_stat_statements", "pg_stat_statements_info", "tables", "columns",
        "indexes", "relation_sizes", "column_stats", "constraints", "sequences", "sessions", "lock_waits",
        "database", "databases", "checkpoints",
    ]

    package static func snapshot(
        versionNumber: Int = 150_008, settings: [Setting] = [], statements: [StatementStats] = [],
        tables: [TableInfo] = [], indexes: [IndexInfo] = [], columnStats: [ColumnStats] = [],
        constraints: [ConstraintInfo] = [], sequences: [SequenceInfo] = [], sessions: [SessionInfo] = [],
        lockWaits: [LockWait] = [], database: DatabaseStats? = Example.database(), databases: [DatabaseAge]? = nil,
        checkpoints: CheckpointStats? = CheckpointStats(timed: 200, requested: 4, statsReset: Example.ago(days: 30)),
        extensions: [ExtensionInfo] = [
            ExtensionInfo(name: "pg_stat_statements", installedVersion: "1.10", defaultVersion: "1.10", schema: "public"),
        ],
        statsReset: Timestamp? = Example.ago(days: 30),
        missingSources: [String: SourceStatus.State] = [:]
    ) -> Snapshot {
        var db = database
        db?.statsReset = statsReset
        let sources = sourceNames.map { name in
            if let state = missingSources[name] {
                return SourceStatus(name: name, state: state, reason: "\(name) is \(state.rawValue) in this example",
                                    fix: "collect \(name)")
            }
            return SourceStatus(name: name, state: .collected)
        } + missingSources.keys.filter { !sourceNames.contains($0) }.sorted().map { name in
            // Sources only some servers have (pg_stat_io on 16+), absent from the full list.
            SourceStatus(name: name, state: missingSources[name] ?? .missing, reason: "\(name) is not available in this example",
                         fix: "collect \(name)")
        }
        return Snapshot(
            generator: "pgadvisor example", collectedAt: now,
            server: ServerInfo(
                versionNumber: versionNumber, version: "\(versionNumber / 10_000).\(versionNumber % 100)",
                versionDetail: "PostgreSQL \(versionNumber / 10_000) on x86_64-pc-linux-gnu, 64-bit", database: "app",
                startedAt: ago(days: 40)),
            role: RoleInfo(name: "audit", pgMonitor: true, pgReadAllStats: true),
            settings: mergedSettings(settings), extensions: extensions, statements: statements,
            statementsInfo: StatementsInfo(extensionVersion: "1.10", track: "top", deallocations: 0, statsReset: statsReset),
            tables: tables, indexes: indexes, columnStats: columnStats, constraints: constraints, sequences: sequences,
            sessions: sessions, lockWaits: lockWaits, database: db,
            databases: databases ?? [DatabaseAge(name: "app", frozenXidAge: 5_000_000, minMultixactAge: 1000)],
            checkpoints: checkpoints, sources: sources)
    }

    /// `pg_stat_database` of a healthy database: 99.6 % cache hits, no temp files, no deadlocks.
    package static func database(
        blocksHit: Int64 = 50_000_000, blocksRead: Int64 = 200_000, tempFiles: Int64 = 0, tempBytes: Int64 = 0,
        deadlocks: Int64 = 0, sizeBytes: Int64 = 2_147_483_648, backends: Int = 5
    ) -> DatabaseStats {
        DatabaseStats(
            name: "app", sizeBytes: sizeBytes, backends: backends, commits: 1_000_000, rollbacks: 100,
            blocksRead: blocksRead, blocksHit: blocksHit, tempFiles: tempFiles, tempBytes: tempBytes,
            deadlocks: deadlocks)
    }

    /// A table named `"schema.name"` with `rows` rows of `rowWidth` bytes, sized as a healthy heap
    /// of that shape would be, and activity counters that say it is in use.
    package static func table(
        _ name: String, rows: Double = 10_000, rowWidth: Int = 40, pages: Int64? = nil,
        columns: [Column]? = nil, options: [String] = [], toastOptions: [String]? = nil, activity: TableActivity? = nil,
        frozenXidAge: Int64 = 1_000_000
    ) -> TableInfo {
        let qualified = qualifiedName(name)
        let tuplesPerPage = max(1, 8168 / (rowWidth + 28))
        let heapPages = pages ?? Int64((rows / Double(tuplesPerPage)).rounded(.up))
        return TableInfo(
            schema: qualified.schema, name: qualified.name, estimatedRows: rows, pages: heapPages,
            allVisiblePages: heapPages, options: options, toastOptions: toastOptions, frozenXidAge: frozenXidAge,
            toastFrozenXidAge: nil,
            minMultixactAge: 100,
            columns: columns ?? [
                Column(name: "id", position: 1, type: "bigint", notNull: true),
                Column(name: "payload", position: 2, type: "text"),
            ],
            activity: activity ?? TableActivity(
                seqScans: 2, seqTuplesRead: Int64(rows) * 2, indexScans: 50_000, indexTuplesFetched: 50_000,
                inserted: Int64(rows), updated: 100, deleted: 0, liveTuples: Int64(rows), deadTuples: 10,
                lastAutovacuum: ago(days: 1), lastAutoanalyze: ago(days: 1)),
            size: RelationSize(bytes: heapPages * 8192))
    }

    /// A btree index named `"schema.name"` on `table` over plain `columns`.
    package static func index(
        _ name: String, on table: String, columns: [String], unique: Bool = false, primary: Bool = false,
        valid: Bool = true, predicate: String? = nil, constraint: String? = nil, method: String = "btree",
        scans: Int64 = 1000, rows: Double = 10_000, pages: Int64 = 30
    ) -> IndexInfo {
        let qualified = qualifiedName(name)
        let tableName = qualifiedName(table)
        let columnList = columns.map { SQLQuoting.identifier($0) }.joined(separator: ", ")
        let definition = "CREATE \(unique || primary ? "UNIQUE " : "")INDEX \(SQLQuoting.identifier(qualified.name)) ON "
            + "\(SQLQuoting.qualified(tableName)) USING \(method) (\(columnList))"
            + (predicate.map { " WHERE \($0)" } ?? "")
        return IndexInfo(
            schema: qualified.schema, name: qualified.name, table: tableName, method: method, definition: definition,
            columns: columns.map { IndexColumn(column: $0, opclass: "int8_ops") }, isUnique: unique || primary,
            isPrimary: primary, isValid: valid, isReady: true, predicate: predicate,
            constraint: constraint ?? (primary ? qualified.name : nil), pages: pages, estimatedRows: rows,
            scans: scans, tuplesRead: scans, tuplesFetched: scans, size: RelationSize(bytes: pages * 8192))
    }

    /// A `pg_stat_statements` entry.
    package static func statement(
        _ queryId: Int64, _ query: String, calls: Int64, meanMs: Double, rows: Int64? = nil,
        hit: Int64 = 1000, read: Int64 = 0, tempWritten: Int64 = 0
    ) -> StatementStats {
        StatementStats(
            queryId: queryId, userName: "app", query: query, calls: calls, totalExecTime: meanMs * Double(calls),
            meanExecTime: meanMs, minExecTime: meanMs / 2, maxExecTime: meanMs * 3, stddevExecTime: meanMs / 4,
            rows: rows ?? calls, sharedBlocksHit: hit, sharedBlocksRead: read, tempBlocksWritten: tempWritten)
    }

    /// A `pg_settings` row with the unit and context PostgreSQL gives it.
    package static func setting(_ name: String, _ value: String, unit: String? = nil, context: String = "sighup")
        -> Setting
    {
        Setting(name: name, value: value, unit: unit, context: context, source: "configuration file")
    }

    package static func qualifiedName(_ name: String) -> QualifiedName {
        guard let dot = name.firstIndex(of: ".") else { return QualifiedName(schema: "public", name: name) }
        return QualifiedName(schema: String(name[..<dot]), name: String(name[name.index(after: dot)...]))
    }

    /// PostgreSQL 15's defaults for the settings the rules read; `overrides` replace by name.
    static func mergedSettings(_ overrides: [Setting]) -> [Setting] {
        var byName = Dictionary(defaultSettings.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for setting in overrides { byName[setting.name] = setting }
        return byName.values.sorted { $0.name < $1.name }
    }

    static let defaultSettings: [Setting] = [
        Setting(name: "autovacuum", value: "on", context: "sighup", type: "bool"),
        Setting(name: "autovacuum_analyze_scale_factor", value: "0.1", context: "sighup", type: "real"),
        Setting(name: "autovacuum_analyze_threshold", value: "50", context: "sighup", type: "integer"),
        Setting(name: "autovacuum_freeze_max_age", value: "200000000", context: "postmaster", type: "integer"),
        Setting(name: "autovacuum_max_workers", value: "3", context: "postmaster", type: "integer"),
        Setting(name: "autovacuum_multixact_freeze_max_age", value: "400000000", context: "postmaster", type: "integer"),
        Setting(name: "autovacuum_naptime", value: "60", unit: "s", context: "sighup", type: "integer"),
        Setting(name: "autovacuum_vacuum_insert_scale_factor", value: "0.2", context: "sighup", type: "real"),
        Setting(name: "autovacuum_vacuum_insert_threshold", value: "1000", context: "sighup", type: "integer"),
        Setting(name: "autovacuum_vacuum_scale_factor", value: "0.2", context: "sighup", type: "real"),
        Setting(name: "autovacuum_vacuum_threshold", value: "50", context: "sighup", type: "integer"),
        Setting(name: "block_size", value: "8192", context: "internal", type: "integer"),
        Setting(name: "checkpoint_timeout", value: "300", unit: "s", context: "sighup", type: "integer"),
        Setting(name: "deadlock_timeout", value: "1000", unit: "ms", context: "superuser", type: "integer"),
        Setting(name: "idle_in_transaction_session_timeout", value: "0", unit: "ms", context: "user", type: "integer"),
        Setting(name: "lock_timeout", value: "0", unit: "ms", context: "user", type: "integer"),
        Setting(name: "log_autovacuum_min_duration", value: "600000", unit: "ms", context: "sighup", type: "integer"),
        Setting(name: "log_checkpoints", value: "on", context: "sighup", type: "bool"),
        Setting(name: "log_lock_waits", value: "off", context: "superuser", type: "bool"),
        Setting(name: "log_min_duration_statement", value: "-1", unit: "ms", context: "superuser", type: "integer"),
        Setting(name: "log_temp_files", value: "-1", unit: "kB", context: "superuser", type: "integer"),
        Setting(name: "maintenance_work_mem", value: "65536", unit: "kB", context: "user", type: "integer"),
        Setting(name: "max_connections", value: "100", context: "postmaster", type: "integer"),
        Setting(name: "max_wal_size", value: "1024", unit: "MB", context: "sighup", type: "integer"),
        Setting(name: "min_wal_size", value: "80", unit: "MB", context: "sighup", type: "integer"),
        Setting(name: "shared_buffers", value: "16384", unit: "8kB", context: "postmaster", type: "integer"),
        Setting(name: "shared_preload_libraries", value: "pg_stat_statements", context: "postmaster", type: "string"),
        Setting(name: "statement_timeout", value: "0", unit: "ms", context: "user", type: "integer"),
        Setting(name: "superuser_reserved_connections", value: "3", context: "postmaster", type: "integer"),
        Setting(name: "track_counts", value: "on", context: "superuser", type: "bool"),
        Setting(name: "track_io_timing", value: "off", context: "superuser", type: "bool"),
        Setting(name: "vacuum_failsafe_age", value: "1600000000", context: "user", type: "integer"),
        Setting(name: "work_mem", value: "4096", unit: "kB", context: "user", type: "integer"),
    ]
}

extension RuleExample {
    /// The example every rule with a source requirement has: skipped, with the engine's reason,
    /// when `source` was not collected.
    package static func withoutSource(
        _ source: String, state: SourceStatus.State = .missing, _ name: String? = nil
    ) -> RuleExample {
        RuleExample(
            name ?? "\(source) not collected", .skipped("\(source) was not collected"),
            snapshot: Example.snapshot(missingSources: [source: state]))
    }
}
