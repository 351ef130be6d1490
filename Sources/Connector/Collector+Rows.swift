import Model

// Row decoding for each catalog query of `sql/`. Column names here are the aliases those
// files define; a mismatch fails loudly with a `.decoding` error naming the column.

extension Collector {
    func readSettings(_ result: QueryResult) throws -> [Setting] {
        try result.rows.map { row in
            let name = try row["name"].string()
            var setting = Setting(
                name: name, value: try row["setting"].optionalString() ?? "", unit: try row["unit"].optionalString(),
                context: try row["context"].string(), source: try row["source"].string(),
                bootValue: try row["boot_val"].optionalString(), resetValue: try row["reset_val"].optionalString(),
                pendingRestart: try row["pending_restart"].optionalBool() ?? false, type: try row["vartype"].string(),
                enumValues: try row["enumvals"].json([String].self), minValue: try row["min_val"].optionalString(),
                maxValue: try row["max_val"].optionalString())
            // pgadvisor's own session overrides (timeouts, read-only, date style) must not be
            // mistaken for the server's configuration: report what the session started with.
            if setting.source == "session", let original = connection.sessionDefaults[name] {
                setting.value = original.value
                setting.source = original.source
            }
            return setting
        }
    }

    func readExtensions(_ result: QueryResult) throws -> [ExtensionInfo] {
        try result.rows.map { row in
            ExtensionInfo(
                name: try row["name"].string(), installedVersion: try row["installed_version"].optionalString(),
                defaultVersion: try row["default_version"].optionalString(), schema: try row["schema"].optionalString())
        }
    }

    func readStatements(_ result: QueryResult) throws -> [StatementStats] {
        try result.rows.map { row in
            let query = try row["query"].optionalString()
            let visible = query != nil && query != "<insufficient privilege>"
            var stats = try readStatementCore(row, query: visible ? query : nil)
            stats.localBlockReadTime = try row["local_blk_read_time"].optionalDouble()
            stats.localBlockWriteTime = try row["local_blk_write_time"].optionalDouble()
            stats.jitFunctions = try row["jit_functions"].optionalInt64()
            stats.jitTime = try row["jit_time"].optionalDouble()
            stats.statsSince = try row["stats_since"].optionalTimestamp()
            stats.minmaxStatsSince = try row["minmax_stats_since"].optionalTimestamp()
            stats.walBuffersFull = try row["wal_buffers_full"].optionalInt64()
            stats.parallelWorkersToLaunch = try row["parallel_workers_to_launch"].optionalInt64()
            stats.parallelWorkersLaunched = try row["parallel_workers_launched"].optionalInt64()
            stats.genericPlanCalls = try row["generic_plan_calls"].optionalInt64()
            stats.customPlanCalls = try row["custom_plan_calls"].optionalInt64()
            return stats
        }
    }

    /// The columns every supported extension version has (or has under an older name).
    private func readStatementCore(_ row: Row, query: String?) throws -> StatementStats {
        StatementStats(
            queryId: try row["queryid"].optionalInt64(), userName: try row["user_name"].optionalString(),
            query: query, toplevel: try row["toplevel"].optionalBool(),
            calls: try row["calls"].int64(), totalExecTime: try row["total_exec_time"].double(),
            meanExecTime: try row["mean_exec_time"].double(), minExecTime: try row["min_exec_time"].double(),
            maxExecTime: try row["max_exec_time"].double(), stddevExecTime: try row["stddev_exec_time"].double(),
            plans: try row["plans"].optionalInt64(), totalPlanTime: try row["total_plan_time"].optionalDouble(),
            rows: try row["rows"].int64(), sharedBlocksHit: try row["shared_blks_hit"].int64(),
            sharedBlocksRead: try row["shared_blks_read"].int64(),
            sharedBlocksDirtied: try row["shared_blks_dirtied"].int64(),
            sharedBlocksWritten: try row["shared_blks_written"].int64(),
            localBlocksHit: try row["local_blks_hit"].int64(), localBlocksRead: try row["local_blks_read"].int64(),
            localBlocksDirtied: try row["local_blks_dirtied"].int64(),
            localBlocksWritten: try row["local_blks_written"].int64(),
            tempBlocksRead: try row["temp_blks_read"].int64(), tempBlocksWritten: try row["temp_blks_written"].int64(),
            sharedBlockReadTime: try row["shared_blk_read_time"].optionalDouble() ?? 0,
            sharedBlockWriteTime: try row["shared_blk_write_time"].optionalDouble() ?? 0,
            tempBlockReadTime: try row["temp_blk_read_time"].optionalDouble(),
            tempBlockWriteTime: try row["temp_blk_write_time"].optionalDouble(),
            walBytes: try row["wal_bytes"].optionalDouble())
    }

    func readTables(_ result: QueryResult) throws -> [TableInfo] {
        try result.rows.map { row in
            let kind: TableInfo.Kind
            switch try row["kind"].string() {
            case "p": kind = .partitioned
            case "m": kind = .materializedView
            default: kind = .table
            }
            var parent: QualifiedName?
            if let schema = try row["parent_schema"].optionalString(), let name = try row["parent_name"].optionalString() {
                parent = QualifiedName(schema: schema, name: name)
            }
            var activity: TableActivity?
            if try row["has_stats"].bool() {
                activity = TableActivity(
                    seqScans: try row["seq_scan"].optionalInt64() ?? 0,
                    seqTuplesRead: try row["seq_tup_read"].optionalInt64() ?? 0,
                    indexScans: try row["idx_scan"].optionalInt64(), indexTuplesFetched: try row["idx_tup_fetch"].optionalInt64(),
                    inserted: try row["n_tup_ins"].optionalInt64() ?? 0, updated: try row["n_tup_upd"].optionalInt64() ?? 0,
                    deleted: try row["n_tup_del"].optionalInt64() ?? 0, hotUpdated: try row["n_tup_hot_upd"].optionalInt64() ?? 0,
                    liveTuples: try row["n_live_tup"].optionalInt64() ?? 0, deadTuples: try row["n_dead_tup"].optionalInt64() ?? 0,
                    modifiedSinceAnalyze: try row["n_mod_since_analyze"].optionalInt64() ?? 0,
                    insertedSinceVacuum: try row["n_ins_since_vacuum"].optionalInt64(),
                    lastVacuum: try row["last_vacuum"].optionalTimestamp(),
                    lastAutovacuum: try row["last_autovacuum"].optionalTimestamp(),
                    lastAnalyze: try row["last_analyze"].optionalTimestamp(),
                    lastAutoanalyze: try row["last_autoanalyze"].optionalTimestamp(),
                    vacuumCount: try row["vacuum_count"].optionalInt64() ?? 0,
                    autovacuumCount: try row["autovacuum_count"].optionalInt64() ?? 0,
                    analyzeCount: try row["analyze_count"].optionalInt64() ?? 0,
                    autoanalyzeCount: try row["autoanalyze_count"].optionalInt64() ?? 0,
                    lastSeqScan: try row["last_seq_scan"].optionalTimestamp())
            }
            return TableInfo(
                oid: try row["oid"].oid(), schema: try row["schema"].string(), name: try row["name"].string(), kind: kind,
                unlogged: try row["unlogged"].bool(), partitionOf: parent, fromExtension: try row["extension"].optionalString(),
                estimatedRows: try row["reltuples"].double(), pages: try row["relpages"].int64(),
                allVisiblePages: try row["relallvisible"].int64(), options: try row["options"].json([String].self) ?? [],
                toastOptions: try row["toast_options"].json([String].self),
                toastPages: try row["toast_pages"].int64(), toastRows: try row["toast_rows"].double(),
                frozenXidAge: try row["frozen_xid_age"].optionalInt64(),
                toastFrozenXidAge: try row["toast_frozen_xid_age"].optionalInt64(),
                minMultixactAge: try row["min_mxid_age"].optionalInt64(), activity: activity)
        }
    }

    /// Columns by table oid, and the tables whose defaults were not deparsed (locked).
    func readColumns(_ result: QueryResult) throws -> ([UInt32: [Column]], Set<UInt32>) {
        var columns: [UInt32: [Column]] = [:]
        var locked: Set<UInt32> = []
        for row in result.rows {
            if try row["locked"].bool() { locked.insert(try row["table_oid"].oid()) }
            columns[try row["table_oid"].oid(), default: []].append(Column(
                name: try row["name"].string(), position: try row["position"].int(), type: try row["type"].string(),
                notNull: try row["not_null"].bool(), defaultExpression: try row["default_expression"].optionalString(),
                identity: try row["identity"].optionalString()))
        }
        return (columns, locked)
    }

    func readIndexes(_ result: QueryResult) throws -> [IndexInfo] {
        try result.rows.map { row in
            IndexInfo(
                oid: try row["oid"].oid(), schema: try row["schema"].string(), name: try row["name"].string(),
                table: QualifiedName(schema: try row["table_schema"].string(), name: try row["table_name"].string()),
                tableOid: try row["table_oid"].oid(), method: try row["method"].string(),
                definition: try row["definition"].optionalString(), columns: try row["columns"].json([IndexColumn].self) ?? [],
                isUnique: try row["is_unique"].bool(), isPrimary: try row["is_primary"].bool(),
                isExclusion: try row["is_exclusion"].bool(), isValid: try row["is_valid"].bool(),
                isReady: try row["is_ready"].bool(), isLive: try row["is_live"].bool(),
                isReplicaIdentity: try row["is_replica_identity"].optionalBool(),
                predicate: try row["predicate"].optionalString(), constraint: try row["constraint_name"].optionalString(),
                pages: try row["relpages"].int64(), estimatedRows: try row["reltuples"].double(),
                scans: try row["idx_scan"].int64(), tuplesRead: try row["idx_tup_read"].int64(),
                tuplesFetched: try row["idx_tup_fetch"].int64(), lastScan: try row["last_idx_scan"].optionalTimestamp())
        }
    }

    /// Sizes by relation oid, with who held the lock when a size is only an estimate.
    func readSizes(_ result: QueryResult) throws -> [UInt32: (RelationSize, String?)] {
        var sizes: [UInt32: (RelationSize, String?)] = [:]
        for row in result.rows {
            let measured = try row["measured"].bool()
            let size = RelationSize(
                bytes: try row["bytes"].optionalInt64() ?? 0, toastBytes: try row["toast_bytes"].optionalInt64() ?? 0,
                indexBytes: try row["index_bytes"].optionalInt64() ?? 0, measured: measured)
            let holders = try row["locked_by"].optionalString().map { "session \($0)" }
            sizes[try row["oid"].oid()] = (size, measured ? nil : holders ?? "another session")
        }
        return sizes
    }

    func readColumnStats(_ result: QueryResult) throws -> [ColumnStats] {
        try result.rows.map { row in
            ColumnStats(
                schema: try row["schema"].string(), table: try row["table_name"].string(),
                column: try row["column_name"].string(), inherited: try row["inherited"].bool(),
                nullFraction: try row["null_frac"].double(), averageWidth: try row["avg_width"].int(),
                distinctValues: try row["n_distinct"].double(), correlation: try row["correlation"].optionalDouble(),
                mostCommonValues: try row["most_common_vals"].json([String].self),
                mostCommonFrequencies: try row["most_common_freqs"].json([Double].self))
        }
    }

    func readConstraints(_ result: QueryResult) throws -> [ConstraintInfo] {
        func action(_ code: String?) -> String? {
            switch code {
            case "a": return "no action"
            case "r": return "restrict"
            case "c": return "cascade"
            case "n": return "set null"
            case "d": return "set default"
            default: return nil
            }
        }
        return try result.rows.map { row in
            let kind: ConstraintInfo.Kind
            switch try row["kind"].string() {
            case "p": kind = .primaryKey
            case "u": kind = .unique
            case "f": kind = .foreignKey
            default: kind = .exclusion
            }
            var referenced: QualifiedName?
            if let schema = try row["referenced_schema"].optionalString(),
               let name = try row["referenced_table"].optionalString() {
                referenced = QualifiedName(schema: schema, name: name)
            }
            return ConstraintInfo(
                schema: try row["schema"].string(), name: try row["name"].string(), kind: kind,
                table: QualifiedName(schema: try row["table_schema"].string(), name: try row["table_name"].string()),
                columns: try row["columns"].json([String].self) ?? [], referencedTable: referenced,
                referencedColumns: try row["referenced_columns"].json([String].self),
                onUpdate: action(try row["on_update"].optionalString()),
                onDelete: action(try row["on_delete"].optionalString()), validated: try row["validated"].bool(),
                deferrable: try row["deferrable"].bool(), index: try row["index_name"].optionalString(),
                definition: try row["definition"].optionalString())
        }
    }

    func readSequences(_ result: QueryResult) throws -> [SequenceInfo] {
        try result.rows.map { row in
            let lastValue = try row["last_value"].optionalInt64()
            let state: SequenceInfo.LastValueState
            switch try row["state"].string() {
            case "locked": state = .locked
            case "not permitted": state = .notPermitted
            default: state = lastValue == nil ? .neverUsed : .read
            }
            var owner: SequenceInfo.OwnedColumn?
            if let schema = try row["table_schema"].optionalString(), let table = try row["table_name"].optionalString(),
               let column = try row["column_name"].optionalString() {
                owner = SequenceInfo.OwnedColumn(
                    table: QualifiedName(schema: schema, name: table), column: column,
                    columnType: try row["column_type"].string(), isIdentity: try row["is_identity"].optionalBool() ?? false)
            }
            return SequenceInfo(
                schema: try row["schema"].string(), name: try row["name"].string(), dataType: try row["data_type"].string(),
                startValue: try row["start_value"].int64(), minValue: try row["min_value"].int64(),
                maxValue: try row["max_value"].int64(), increment: try row["increment"].int64(),
                cycles: try row["cycles"].bool(), lastValue: lastValue, lastValueState: state, ownedBy: owner)
        }
    }

    func readSessions(_ result: QueryResult) throws -> [SessionInfo] {
        try result.rows.map { row in
            SessionInfo(
                pid: try row["pid"].int32(), database: try row["database"].optionalString(),
                user: try row["user_name"].optionalString(), applicationName: try row["application_name"].optionalString(),
                clientAddress: try row["client_address"].optionalString(),
                backendType: try row["backend_type"].optionalString(), state: try row["state"].optionalString(),
                backendStart: try row["backend_start"].optionalTimestamp(),
                transactionStart: try row["xact_start"].optionalTimestamp(),
                queryStart: try row["query_start"].optionalTimestamp(),
                stateChange: try row["state_change"].optionalTimestamp(),
                waitEventType: try row["wait_event_type"].optionalString(), waitEvent: try row["wait_event"].optionalString(),
                xidAge: try row["xid_age"].optionalInt64(), xminAge: try row["xmin_age"].optionalInt64(),
                leaderPid: try row["leader_pid"].optionalInt32(), queryId: try row["query_id"].optionalInt64(),
                query: try row["query"].optionalString())
        }
    }

    func readLockWaits(_ result: QueryResult) throws -> [LockWait] {
        try result.rows.map { row in
            var relation: QualifiedName?
            if let schema = try row["relation_schema"].optionalString(), let name = try row["relation_name"].optionalString() {
                relation = QualifiedName(schema: schema, name: name)
            }
            return LockWait(
                pid: try row["pid"].int32(), lockType: try row["lock_type"].string(), mode: try row["mode"].string(),
                relation: relation, waitStart: try row["wait_start"].optionalTimestamp(),
                blockingPids: try row["blocking_pids"].json([Int32].self) ?? [],
                blockerModes: (try row["blocker_modes"].json([String].self) ?? []).sorted())
        }
    }

    func readDatabase(_ result: QueryResult) throws -> DatabaseStats? {
        guard let row = result.first else { return nil }
        return DatabaseStats(
            name: try row["name"].string(), sizeBytes: try row["size_bytes"].optionalInt64(),
            backends: try row["numbackends"].int(), commits: try row["xact_commit"].int64(),
            rollbacks: try row["xact_rollback"].int64(), blocksRead: try row["blks_read"].int64(),
            blocksHit: try row["blks_hit"].int64(), tuplesReturned: try row["tup_returned"].int64(),
            tuplesFetched: try row["tup_fetched"].int64(), tuplesInserted: try row["tup_inserted"].int64(),
            tuplesUpdated: try row["tup_updated"].int64(), tuplesDeleted: try row["tup_deleted"].int64(),
            conflicts: try row["conflicts"].int64(), tempFiles: try row["temp_files"].int64(),
            tempBytes: try row["temp_bytes"].int64(), deadlocks: try row["deadlocks"].int64(),
            blockReadTime: try row["blk_read_time"].double(), blockWriteTime: try row["blk_write_time"].double(),
            statsReset: try row["stats_reset"].optionalTimestamp())
    }

    func readDatabases(_ result: QueryResult) throws -> [DatabaseAge] {
        try result.rows.map { row in
            DatabaseAge(
                name: try row["name"].string(), frozenXidAge: try row["frozen_xid_age"].int64(),
                minMultixactAge: try row["min_mxid_age"].int64(), allowsConnections: try row["allows_connections"].bool(),
                isTemplate: try row["is_template"].bool())
        }
    }

    func readRoleSettings(_ result: QueryResult) throws -> [RoleSetting] {
        try result.rows.map { row in
            RoleSetting(
                database: try row["database"].optionalString(), role: try row["role"].optionalString(),
                name: try row["name"].string(), value: try row["value"].string())
        }
    }

    func readCheckpoints(_ result: QueryResult) throws -> CheckpointStats? {
        guard let row = result.first else { return nil }
        return CheckpointStats(
            source: try row["source"].string(), timed: try row["timed"].int64(), requested: try row["requested"].int64(),
            writeTime: try row["write_time"].double(), syncTime: try row["sync_time"].double(),
            buffersWritten: try row["buffers_written"].int64(), buffersClean: try row["buffers_clean"].int64(),
            maxWrittenClean: try row["maxwritten_clean"].int64(), buffersBackend: try row["buffers_backend"].optionalInt64(),
            buffersAllocated: try row["buffers_alloc"].int64(), statsReset: try row["stats_reset"].optionalTimestamp())
    }

    func readIO(_ result: QueryResult) throws -> [IOStats] {
        try result.rows.map { row in
            IOStats(
                backendType: try row["backend_type"].string(), object: try row["object"].string(),
                context: try row["context"].string(), reads: try row["reads"].optionalInt64(),
                writes: try row["writes"].optionalInt64(), writebacks: try row["writebacks"].optionalInt64(),
                extends: try row["extends"].optionalInt64(), hits: try row["hits"].optionalInt64(),
                evictions: try row["evictions"].optionalInt64(), reuses: try row["reuses"].optionalInt64(),
                fsyncs: try row["fsyncs"].optionalInt64(), readTime: try row["read_time"].optionalDouble(),
                writeTime: try row["write_time"].optionalDouble(), fsyncTime: try row["fsync_time"].optionalDouble(),
                statsReset: try row["stats_reset"].optionalTimestamp())
        }
    }

    func readExactBloat(_ result: QueryResult) throws -> [UInt32: ExactBloat] {
        var byOid: [UInt32: ExactBloat] = [:]
        for row in result.rows {
            byOid[UInt32(try row["oid"].int64())] = ExactBloat(
                tableBytes: try row["table_len"].int64(), scannedPercent: try row["scanned_percent"].double(),
                freeBytes: try row["approx_free_space"].int64(), freePercent: try row["approx_free_percent"].double(),
                deadTupleBytes: try row["dead_tuple_len"].int64(), deadTuplePercent: try row["dead_tuple_percent"].double())
        }
        return byOid
    }
}
