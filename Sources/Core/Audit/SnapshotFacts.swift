import Model

/// Lookups over a snapshot, computed once per audit so that rules stay linear in the number of
/// objects (thousands of tables are common).
public struct SnapshotFacts: Sendable {
    public let tablesByName: [QualifiedName: TableInfo]
    public let indexesByTable: [QualifiedName: [IndexInfo]]
    public let constraintsByTable: [QualifiedName: [ConstraintInfo]]
    /// Planner statistics by table, then column; the non-inherited row when both exist.
    public let columnStatsByTable: [QualifiedName: [String: ColumnStats]]
    /// Total execution time of top-level statements (ms): the denominator of time shares.
    public let totalExecTime: Double
    /// How long the cumulative statistics have been counting, and since when.
    public let statisticsAge: StatisticsAge?
    /// Maximum alignment of the server's platform (8 on 64-bit builds).
    public let maxAlign: Int

    public struct StatisticsAge: Sendable, Equatable {
        public var seconds: Double
        /// `the statistics reset at …` or `server start at …`.
        public var basis: String
    }

    public init(_ snapshot: Snapshot) {
        tablesByName = Dictionary(snapshot.tables.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { a, _ in a })
        indexesByTable = Dictionary(grouping: snapshot.indexes, by: \.table)
        constraintsByTable = Dictionary(grouping: snapshot.constraints, by: \.table)
        var stats: [QualifiedName: [String: ColumnStats]] = [:]
        for row in snapshot.columnStats {
            let table = QualifiedName(schema: row.schema, name: row.table)
            if let existing = stats[table]?[row.column], !existing.inherited { continue }
            stats[table, default: [:]][row.column] = row
        }
        columnStatsByTable = stats
        totalExecTime = snapshot.statements.filter { $0.toplevel != false }.reduce(0) { $0 + $1.totalExecTime }
        if let reset = snapshot.database?.statsReset {
            statisticsAge = StatisticsAge(
                seconds: reset.seconds(until: snapshot.collectedAt), basis: "the statistics reset at \(reset)")
        } else if let start = snapshot.server.startedAt {
            statisticsAge = StatisticsAge(
                seconds: start.seconds(until: snapshot.collectedAt), basis: "server start at \(start), no reset recorded")
        } else {
            statisticsAge = nil
        }
        let build = snapshot.server.versionDetail.lowercased()
        maxAlign = build.isEmpty || build.contains("64-bit") || build.contains("x86_64") || build.contains("aarch64")
            || build.contains("mingw32") ? 8 : 4
    }

    public func table(_ name: QualifiedName) -> TableInfo? { tablesByName[name] }
    public func indexes(on table: QualifiedName) -> [IndexInfo] { indexesByTable[table] ?? [] }
    public func constraints(on table: QualifiedName) -> [ConstraintInfo] { constraintsByTable[table] ?? [] }
    public func columnStats(_ table: QualifiedName) -> [String: ColumnStats] { columnStatsByTable[table] ?? [:] }
}
