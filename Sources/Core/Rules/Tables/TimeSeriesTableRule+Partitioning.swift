import Model

extension TimeSeriesTableRule {
    /// Range partitioning by the time column, when the table is large and old rows leave by DELETE.
    static func partitioningFinding(_ candidate: TimeSeriesCandidate, _ context: RuleContext) -> Finding? {
        let p = context.parameters
        guard candidate.table.partitionOf == nil, candidate.tableBytes >= p.bytes("partition-min-size"),
              let activity = candidate.table.activity, activity.deleted > 0,
              Double(activity.deleted) >= p.ratio("min-delete-share") * Double(activity.inserted)
        else { return nil }
        let table = candidate.table.qualifiedName
        let name = SQLQuoting.qualified(table)
        let column = SQLQuoting.identifier(candidate.column.name)
        let retention = candidate.deleteStatements.isEmpty ? ""
            : ", by DELETE statements with a range on \(column) (\(candidate.deleteStatements.compactMap { $0.queryId.map { "query \($0)" } }.joined(separator: ", ")))"
        let message = "\(name) (\(Format.bytes(candidate.tableBytes))) grows in \(column) order and loses "
            + "\(Format.count(activity.deleted)) rows to DELETE against \(Format.count(activity.inserted)) inserted\(retention): "
            + "partitioned by range of \(column), old rows would leave by dropping a partition, without the DELETE "
            + "and the VACUUM of the heap and every index it causes."
        var evidence = commonEvidence(candidate)
        evidence += [
            Evidence("deleted", "rows deleted", .count(activity.deleted)),
            Evidence("deadTuples", "dead rows now", .count(activity.deadTuples)),
            Evidence("autovacuumCount", "autovacuum runs", .count(activity.autovacuumCount)),
        ]
        if !candidate.deleteStatements.isEmpty {
            evidence.append(Evidence("deleteQueryIds", "DELETE statements by time",
                                     .list(candidate.deleteStatements.compactMap { $0.queryId.map(String.init) })))
        }
        return Finding(
            rule: description.id, severity: .info, target: .relation(table), message: message, evidence: evidence,
            remediations: migrationOutline(candidate).map { .manual($0) },
            impact: Impact(
                score: IndexFacts.shareOfDatabase(candidate.tableBytes, context.snapshot),
                summary: "\(Format.count(activity.deleted)) rows deleted from \(Format.bytes(candidate.tableBytes))"),
            notes: partitioningNotes(candidate, context))
    }

    /// The migration, keeping today's heap as the first partition (no copy of the data).
    static func migrationOutline(_ candidate: TimeSeriesCandidate) -> [String] {
        let name = SQLQuoting.qualified(candidate.table.qualifiedName)
        let column = SQLQuoting.identifier(candidate.column.name)
        return [
            "Migration outline, not an automatic step: pick the partition interval (a day, a week or a month, so that "
                + "retention drops whole partitions) and a cutover value T just above today's max(\(column)).",
            "ALTER TABLE \(name) ADD CONSTRAINT ... CHECK (\(column) IS NOT NULL AND \(column) < T) NOT VALID, then "
                + "VALIDATE CONSTRAINT (writes go on): it lets ATTACH skip its scan.",
            "Build, with CREATE INDEX CONCURRENTLY on the old table, the indexes the new parent will have; a primary "
                + "key or unique index must include \(column).",
            "Create the new table PARTITION BY RANGE (\(column)) with the same columns, defaults and privileges, and "
                + "its partitions from T onward (pg_partman can create them ahead and drop the expired ones).",
            "In one short transaction with a lock_timeout: rename the old table, rename the new one to \(name), move "
                + "sequence ownership, ATTACH PARTITION the old table FOR VALUES FROM (MINVALUE) TO (T).",
            "Replace the retention DELETE by DROP TABLE (or ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY on 14+) "
                + "of expired partitions; ANALYZE the parent, which autovacuum never analyzes.",
        ]
    }

    /// What could block or complicate the migration: keys without the time column, foreign keys
    /// pointing at the table.
    static func partitioningNotes(_ candidate: TimeSeriesCandidate, _ context: RuleContext) -> [String] {
        let table = candidate.table.qualifiedName
        var notes: [String] = []
        let keys = context.facts.constraints(on: table).filter {
            ($0.kind == .primaryKey || $0.kind == .unique) && !$0.columns.contains(candidate.column.name)
        }
        if !keys.isEmpty {
            notes.append("\(keys.map { SQLQuoting.identifier($0.name) }.joined(separator: ", ")) do not include "
                + "\(SQLQuoting.identifier(candidate.column.name)): on a partitioned table a primary key or unique "
                + "constraint must contain the partition key, so they become per-partition or gain the column.")
        }
        let referencing = context.snapshot.constraints.filter { $0.kind == .foreignKey && $0.referencedTable == table }
        if !referencing.isEmpty {
            notes.append("Foreign keys point at \(SQLQuoting.qualified(table)) (\(referencing.map { SQLQuoting.identifier($0.name) }.joined(separator: ", "))): "
                + "they must be dropped and re-created against the partitioned table (PostgreSQL 12+), which needs a quiet period.")
        }
        notes.append("Statements without a condition on the time column read every partition; keep the count of "
            + "partitions in the hundreds, not thousands.")
        return notes
    }
}
