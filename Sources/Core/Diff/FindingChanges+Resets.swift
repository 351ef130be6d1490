import Model

extension FindingChanges {
    /// Resolved findings re-read in the light of NEW and of the resets:
    /// - a finding on a table or index NEW no longer has is resolved (the object is gone),
    ///   even when NEW's audit skipped its rule;
    /// - a statement's finding whose statement has not run since pg_stat_statements was reset is
    ///   not judged (the statement is not known to be better, only absent);
    /// - any other finding of a rule that reads counters, gone after a reset, is marked as such,
    ///   since the counters since the reset may not show it yet. Settings and catalog facts are
    ///   read, not counted: their findings are simply resolved.
    public func accountingFor(_ resets: StatisticsResets, statementsNow: Set<Int64>, relationsNow: Set<QualifiedName>) -> FindingChanges {
        var out = self
        out.notJudged = notJudged.filter { !$0.finding.target.isGone(relationsNow) }
        out.resolved += notJudged.filter { $0.finding.target.isGone(relationsNow) }.map { change in
            var change = change
            change.skippedReason = nil
            return change
        }
        guard resets.any else { return out }
        let resolved = out.resolved
        out.resolved = []
        for change in resolved {
            var change = change
            if resets.statements != nil, case .statement(let id) = change.finding.target, !(id.map(statementsNow.contains) ?? false) {
                change.skippedReason = "pg_stat_statements was reset between the snapshots and the statement has not run since"
                out.notJudged.append(change)
            } else {
                change.afterReset = Self.countingRules.contains(change.finding.rule)
                out.resolved.append(change)
            }
        }
        return out
    }

    /// The rules whose findings rest on counters a statistics reset clears (statements,
    /// table and index activity, checkpoints, I/O), as their requirements say.
    static let countingRules: Set<String> = Set(RuleRegistry.descriptions.filter { rule in
        rule.requirements.contains { requirement in
            switch requirement {
            case .statisticsAge: true
            case .source(let name): countedSources.contains(name)
            case .minimumServerVersion, .hostFacts: false
            }
        }
    }.map(\.id))

    private static let countedSources: Set<String> = [
        "pg_stat_statements", "tables", "indexes", "checkpoints", "database", "databases", "pg_stat_io",
    ]
}

private extension Target {
    /// Whether the table or index this names is absent from NEW.
    func isGone(_ relationsNow: Set<QualifiedName>) -> Bool {
        switch self {
        case .relation(let name), .column(let name, _): !relationsNow.contains(name)
        default: false
        }
    }
}
