import Model

/// How long the counters behind the weights cover, in days.
struct StatisticsWindows {
    /// Since the `pg_stat_statements` reset (or the database statistics reset).
    var statementDays: Double?
    /// Since the table statistics reset.
    var tableDays: Double?
    /// The statement window when it covers at least a day: per-day figures are shown only then.
    var displayDays: Double? { statementDays.flatMap { $0 >= 1 ? $0 : nil } }

    init(snapshot: Snapshot, facts: SnapshotFacts) {
        let tableSeconds = facts.statisticsAge?.seconds
        tableDays = tableSeconds.map { max($0, 60) / 86_400 }
        if let reset = snapshot.statementsInfo?.statsReset {
            statementDays = max(reset.seconds(until: snapshot.collectedAt), 60) / 86_400
        } else {
            statementDays = tableDays
        }
    }
}
