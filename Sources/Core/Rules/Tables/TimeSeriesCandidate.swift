import Model

/// A large, mostly-appended table with a time (or serial) column stored in the order of its
/// values and read by range conditions on it: what `time-series-table` judges.
struct TimeSeriesCandidate {
    var table: TableInfo
    var tableBytes: Int64
    var column: Column
    var correlation: Double
    /// Statements with a range condition on the column (`created_at >= $1`), by total time.
    var rangeStatements: [StatementStats]
    /// DELETE statements with a range condition on the column: retention by DELETE.
    var deleteStatements: [StatementStats]
    /// A statement reads the column in ORDER BY with a LIMIT ("the latest n"): only a btree serves it.
    var sortedWithLimit: Bool

    /// Whether `column` is a time or a serial column: timestamps and dates, or integers filled
    /// by a sequence or an identity.
    static func isTimeOrSerial(_ column: Column) -> Bool {
        let type = column.type.lowercased()
        if type.hasPrefix("timestamp") || type == "date" { return true }
        guard ["bigint", "integer"].contains(type) else { return false }
        return column.identity != nil || (column.defaultExpression ?? "").hasPrefix("nextval(")
    }

    /// Bytes of one key in a BRIN or btree entry.
    var keyBytes: Int { ["integer", "date"].contains(column.type.lowercased()) ? 4 : 8 }

    /// Shared blocks (hit or read) per call of the range statements, their median: how many pages
    /// one range read touches today (the whole table when it is a sequential scan).
    var typicalPagesPerCall: Double {
        let perCall = rangeStatements.filter { $0.calls > 0 }
            .map { Double($0.sharedBlocksHit + $0.sharedBlocksRead) / Double($0.calls) }.sorted()
        return perCall.isEmpty ? 0 : perCall[perCall.count / 2]
    }

    /// Candidates of `context`'s snapshot: tables of at least `minBytes` whose updates stay under
    /// `maxUpdateShare` of their inserts, each with its best column (|correlation| at least
    /// `minCorrelation`, the most statement time in range conditions on it).
    static func find(
        _ context: RuleContext, minBytes: Int64, minCorrelation: Double, maxUpdateShare: Double
    ) -> [TimeSeriesCandidate] {
        let eligible = context.snapshot.tables.compactMap { table -> (TableInfo, Int64, [(Column, Double)])? in
            guard table.kind == .table, table.fromExtension == nil, let activity = table.activity,
                  activity.inserted > 0, Double(activity.updated) <= maxUpdateShare * Double(activity.inserted)
            else { return nil }
            let bytes = table.size?.bytes ?? table.pages * Int64(context.snapshot.server.blockSize)
            guard bytes >= minBytes else { return nil }
            let stats = context.facts.columnStats(table.qualifiedName)
            let columns = table.columns.filter(isTimeOrSerial).compactMap { column -> (Column, Double)? in
                guard let correlation = stats[column.name]?.correlation, abs(correlation) >= minCorrelation else { return nil }
                return (column, correlation)
            }
            return columns.isEmpty ? nil : (table, bytes, columns)
        }
        // Parsing the workload is the costly part: only for tables that may qualify, and only
        // the statements that name one of them.
        guard !eligible.isEmpty else { return [] }
        let reads = StatementReads(context.snapshot, naming: Set(eligible.map { $0.0.name.lowercased() }))
        return eligible.compactMap { table, bytes, columns in
            let candidates = columns.compactMap { column, correlation -> TimeSeriesCandidate? in
                let on = reads.onColumn(table.qualifiedName, column.name)
                guard !on.ranges.isEmpty else { return nil }
                return TimeSeriesCandidate(
                    table: table, tableBytes: bytes, column: column, correlation: correlation,
                    rangeStatements: on.ranges, deleteStatements: on.deletes, sortedWithLimit: on.sortedWithLimit)
            }
            return candidates.max { $0.rangeTime < $1.rangeTime }
        }
    }

    private var rangeTime: Double { rangeStatements.reduce(0) { $0 + $1.totalExecTime } }
}

/// The workload's statements parsed once (libpg_query, through ``StatementAnalyzer``), by the
/// table and column they hold a range condition on.
private struct StatementReads {
    struct OnColumn {
        var ranges: [StatementStats] = []
        var deletes: [StatementStats] = []
        var sortedWithLimit = false
    }

    private var byColumn: [QualifiedName: [String: OnColumn]] = [:]

    /// Reads of the statements whose text names one of `tables` (lowercased names).
    init(_ snapshot: Snapshot, naming tables: Set<String>) {
        let analyzer = StatementAnalyzer(snapshot: snapshot)
        // Each entry with its own figures: one query id may stand for several roles' entries.
        let entries = snapshot.statements.compactMap { s in WorkloadStatement(workloadOf: s).map { (stats: s, workload: $0) } }
        let words = StatementWords(entries.map { $0.workload.text.lowercased() })
        let naming = Set(tables.flatMap { words.naming($0) })
        for (i, (statement, workload)) in entries.enumerated() where naming.contains(i) {
            guard case .analyzed(let analyzed) = analyzer.analyze(workload) else { continue }
            for access in analyzed.accesses {
                for key in access.ranges where key.function == nil {
                    var entry = byColumn[access.table, default: [:]][key.column, default: OnColumn()]
                    entry.ranges.append(statement)
                    if analyzed.kind == .delete { entry.deletes.append(statement) }
                    byColumn[access.table, default: [:]][key.column] = entry
                }
                if access.hasLimit, let first = access.sort.first, first.key.function == nil {
                    byColumn[access.table, default: [:]][first.key.column, default: OnColumn()].sortedWithLimit = true
                }
            }
        }
    }

    func onColumn(_ table: QualifiedName, _ column: String) -> OnColumn {
        byColumn[table]?[column] ?? OnColumn()
    }
}
