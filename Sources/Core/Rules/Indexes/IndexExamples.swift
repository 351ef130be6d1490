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

    /// `shop.orders`: 300,000 rows with a customer, a creation time and a status.
    static let ordersTable = Example.table("shop.orders", rows: 300_000, rowWidth: 60, columns: [
        Column(name: "id", position: 1, type: "bigint", notNull: true),
        Column(name: "customer_id", position: 2, type: "bigint", notNull: true),
        Column(name: "created_at", position: 3, type: "timestamp with time zone", notNull: true),
        Column(name: "status", position: 4, type: "text", notNull: true),
        Column(name: "total", position: 5, type: "numeric"),
    ])

    /// `pg_stats` of `shop.orders`: 20,000 customers, unique creation times in insert order.
    static let ordersStats: [ColumnStats] = [
        ColumnStats(schema: "shop", table: "orders", column: "id", averageWidth: 8, distinctValues: -1, correlation: 1),
        ColumnStats(schema: "shop", table: "orders", column: "customer_id", averageWidth: 8, distinctValues: 20_000,
                    correlation: 0.01),
        ColumnStats(schema: "shop", table: "orders", column: "created_at", averageWidth: 8, distinctValues: -1,
                    correlation: 0.99),
        ColumnStats(schema: "shop", table: "orders", column: "status", averageWidth: 5, distinctValues: 3,
                    mostCommonValues: ["done", "shipped", "open"], mostCommonFrequencies: [0.9, 0.08, 0.02]),
    ]
}
