import Model

extension StatisticsResets {
    /// What the resets do to each section of the comparison, one sentence each; empty when the
    /// counters went on counting.
    public func effects(new: Snapshot) -> [String] {
        var out: [String] = []
        func when(_ at: Timestamp?) -> String {
            guard let at else { return "" }
            return " at \(at.iso8601) (\(Format.age(seconds: at.seconds(until: new.collectedAt))) before NEW)"
        }
        if let statements {
            out.append("Statements: pg_stat_statements was reset\(when(statements.at)): regressions and new statements "
                + "compare NEW's figures since the reset with OLD's means, and a statement that has not run since the reset "
                + "is absent from NEW, not gone.")
        }
        if let relations {
            out.append("Index usage: the table and index counters were reset\(when(relations.at)): scans count from the reset, "
                + "so an index with no scan since then is not judged unused — wait for a full cycle of the workload before "
                + "dropping it.")
        }
        if any {
            out.append("Findings: rules that need statistics of a minimum age may now be skipped or only watching; their "
                + "findings are listed as no longer judged, not as resolved. Sizes, bloat and settings are read, not counted: "
                + "resets do not change them.")
        }
        if let restartedAt {
            out.append(any
                ? "The server restarted\(when(restartedAt)): counters lost in a crash or an immediate shutdown count from the restart."
                : "The server restarted\(when(restartedAt)); its counters survived the restart.")
        }
        if let evictions {
            out.append("\(Format.count(evictions)) pg_stat_statements entries were evicted between the snapshots "
                + "(pg_stat_statements.max): a statement evicted and run again counts from its return, so its window may be understated.")
        }
        if restartedStatements > 0 {
            out.append("\(Format.count(restartedStatements)) statement(s) count fewer calls than in OLD (evicted and seen again, "
                + "or reset one by one): their figures count from their return.")
        }
        if restartedIndexes > 0 {
            out.append("\(Format.count(restartedIndexes)) index(es) count fewer scans than in OLD (reset one by one): their "
                + "scans count from that reset.")
        }
        return out
    }
}
