import Model

/// Small builders for the index rules' examples, on top of ``Example``.
enum IndexExamples {
    /// `index` changed by `change`: a sort option, an INCLUDE column, an unknown definition.
    static func modified(_ index: IndexInfo, _ change: (inout IndexInfo) -> Void) -> IndexInfo {
        var copy = index
        change(&copy)
        return copy
    }

    /// A unique or primary key constraint backed by `index`.
    static func constraint(
        _ name: String, on table: String, columns: [String], kind: ConstraintInfo.Kind = .unique
    ) -> ConstraintInfo {
        let qualified = Example.qualifiedName(table)
        return ConstraintInfo(
            schema: qualified.schema, name: name, kind: kind, table: qualified, columns: columns, index: name)
    }

    /// A foreign key from `table(columns)` to `parent(parentColumns)`.
    static func foreignKey(
        _ name: String, on table: String, columns: [String], references parent: String, parentColumns: [String],
        onDelete: String = "no action"
    ) -> ConstraintInfo {
        let qualified = Example.qualifiedName(table)
        return ConstraintInfo(
            schema: qualified.schema, name: name, kind: .foreignKey, table: qualified, columns: columns,
            referencedTable: Example.qualifiedName(parent), referencedColumns: parentColumns, onUpdate: "no action",
            onDelete: onDelete)
    }

    /// Table counters for a table with `rows` live rows read `seqScans` times by sequential scans
    /// and `indexScans` times through an index.
    static func activity(
        rows: Int64, seqScans: Int64, indexScans: Int64?, updated: Int64 = 100, deleted: Int64 = 0,
        lastSeqScan: Timestamp? = nil
    ) -> TableActivity {
        TableActivity(
            seqScans: seqScans, seqTuplesRead: seqScans * rows, indexScans: indexScans,
            indexTuplesFetched: indexScans, inserted: rows, updated: updated, deleted: deleted, liveTuples: rows,
            deadTuples: 10, lastAutovacuum: Example.ago(days: 1), lastAutoanalyze: Example.ago(days: 1),
            lastSeqScan: lastSeqScan)
    }
}
