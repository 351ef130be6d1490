import Model

extension FindingChanges {
    /// Resolved findings re-read in the light of the resets: a statement's finding whose
    /// statement has not run since pg_stat_statements was reset is not judged (the statement
    /// is not known to be better, only absent); any other finding gone after a reset is marked
    /// as such, since counters since the reset may not show it yet.
    public func accountingFor(_ resets: StatisticsResets, statementsNow: Set<Int64>) -> FindingChanges {
        guard resets.any else { return self }
        var out = self
        out.resolved = []
        for change in resolved {
            var change = change
            if resets.statements != nil, case .statement(let id) = change.finding.target, !(id.map(statementsNow.contains) ?? false) {
                change.skippedReason = "pg_stat_statements was reset between the snapshots and the statement has not run since"
                out.notJudged.append(change)
            } else {
                change.afterReset = true
                out.resolved.append(change)
            }
        }
        return out
    }
}
