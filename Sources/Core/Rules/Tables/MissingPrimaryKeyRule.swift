import Model

/// Tables without a primary key.
public enum MissingPrimaryKeyRule: Rule {
    public static let description = RuleDescription(
        id: "missing-primary-key",
        title: "Missing primary key",
        category: .tables,
        severity: .warning,
        requirements: [.source("tables"), .source("constraints")],
        summary: "Tables (and partitioned tables) without a primary key that receive UPDATE or DELETE; info only when a unique index on NOT NULL columns could become the key.",
        rationale: """
            Without a primary key duplicate rows creep in, single rows cannot be addressed reliably, \
            logical replication cannot replicate UPDATE and DELETE (it needs a replica identity), and \
            pg_repack cannot rewrite the table online. Partitions inherit their parent's key and \
            extension-owned tables are not the user's to change, so both are left out. A table that has \
            received no UPDATE or DELETE since the statistics were reset (an append-only log such as \
            pgbench_history) is not reported unless `include-insert-only` is set: logical replication \
            only needs a replica identity for UPDATE and DELETE, and such tables are often deliberately \
            keyless. When a valid unique btree index without expressions or predicate covers NOT NULL \
            columns, the finding is info and the fix promotes that index; otherwise the fix adds a \
            bigint identity column, though a natural key is often the better choice.
            """,
        manual: "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-PRIMARY-KEYS",
        parameters: [
            RuleParameter("include-insert-only", .flag(false), "Also report tables that receive only INSERTs."),
        ],
        examples: [
            RuleExample("an audit log without any key that receives DELETEs",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "audit_log"))]),
                        snapshot: Example.snapshot(tables: [auditLog(deleted: 280)])),
            RuleExample("a unique index on NOT NULL columns that could be the key",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "customers"))]),
                        snapshot: Example.snapshot(
                            tables: [Example.table("shop.customers", rows: 50_000, columns: TableExamples.columns(
                                [("email", "text"), ("full_name", "text")]))],
                            indexes: [Example.index("shop.customers_email_key", on: "shop.customers", columns: ["email"], unique: true)])),
            RuleExample("pgbench: keys everywhere except the insert-only pgbench_history", .passes, snapshot: TableExamples.pgbench()),
            RuleExample("pgbench_history when insert-only tables are included",
                        .triggers([.relation(QualifiedName(schema: "public", name: "pgbench_history"))]),
                        parameters: ["include-insert-only": "true"], snapshot: TableExamples.pgbench()),
            RuleExample("a partition and an extension's table", .passes, snapshot: Example.snapshot(tables: [
                partitionedOrders(), orderPartition(), extensionTable(),
            ], constraints: [
                ConstraintInfo(schema: "shop", name: "orders_pkey", kind: .primaryKey,
                               table: QualifiedName(schema: "shop", name: "orders"), columns: ["id", "created_at"],
                               index: "orders_pkey"),
            ])),
            RuleExample("constraints not collected", .skipped("constraints was not collected"),
                        snapshot: Example.snapshot(tables: [auditLog(deleted: 280)], missingSources: ["constraints": .failed])),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        let includeInsertOnly = context.parameters.flag("include-insert-only")
        var partitions: [QualifiedName: [TableInfo]] = [:]
        for table in snapshot.tables {
            if let parent = table.partitionOf { partitions[parent, default: []].append(table) }
        }
        return snapshot.tables.compactMap { table -> Finding? in
            guard table.kind == .table || table.kind == .partitioned, table.partitionOf == nil, table.fromExtension == nil,
                  !context.facts.constraints(on: table.qualifiedName).contains(where: { $0.kind == .primaryKey })
            else { return nil }
            let writes = Self.writes(table, partitions: partitions)
            if !includeInsertOnly, let writes, writes.updated == 0, writes.deleted == 0 { return nil }
            return finding(table, writes: writes, context: context)
        }
    }

    /// UPDATE and DELETE counts of the table, summed over its partitions for a partitioned table
    /// (whose own counters stay empty); nil when unknown.
    static func writes(
        _ table: TableInfo, partitions: [QualifiedName: [TableInfo]], depth: Int = 0
    ) -> (inserted: Int64, updated: Int64, deleted: Int64)? {
        guard table.kind == .partitioned else {
            return table.activity.map { ($0.inserted, $0.updated, $0.deleted) }
        }
        guard depth < 16 else { return nil }
        var total: (inserted: Int64, updated: Int64, deleted: Int64) = (0, 0, 0)
        var known = false
        for child in partitions[table.qualifiedName] ?? [] {
            guard let counts = writes(child, partitions: partitions, depth: depth + 1) else { continue }
            known = true
            total = (total.inserted + counts.inserted, total.updated + counts.updated, total.deleted + counts.deleted)
        }
        return known ? total : nil
    }

    /// A unique index that `ADD PRIMARY KEY USING INDEX` accepts: valid btree, no expressions,
    /// no predicate, default ordering, every key column NOT NULL. The one with the fewest
    /// columns, then the smallest, then by name.
    static func promotableIndex(_ table: TableInfo, indexes: [IndexInfo]) -> IndexInfo? {
        let candidates = indexes.filter { index in
            guard index.isUnique, index.isValid, index.method == "btree", index.predicate == nil,
                  !index.keyColumns.isEmpty else { return false }
            return index.keyColumns.allSatisfy { key in
                guard key.expression == nil, !key.descending, !key.nullsFirst, let name = key.column,
                      let column = table.column(named: name) else { return false }
                return column.notNull
            }
        }
        return candidates.min { a, b in
            if a.keyColumns.count != b.keyColumns.count { return a.keyColumns.count < b.keyColumns.count }
            if a.pages != b.pages { return a.pages < b.pages }
            return a.name < b.name
        }
    }

    /// `id`, or a name no column has yet.
    static func identityColumnName(_ table: TableInfo) -> String {
        let taken = Set(table.columns.map { $0.name })
        for candidate in ["id", "row_id", "pk_id"] where !taken.contains(candidate) { return candidate }
        var n = 2
        while taken.contains("id_\(n)") { n += 1 }
        return "id_\(n)"
    }

    static func finding(
        _ table: TableInfo, writes: (inserted: Int64, updated: Int64, deleted: Int64)?, context: RuleContext
    ) -> Finding {
        let name = SQLQuoting.qualified(table.qualifiedName)
        let partitioned = table.kind == .partitioned
        let candidate = promotableIndex(table, indexes: context.facts.indexes(on: table.qualifiedName))
        var evidence: [Evidence] = [
            Evidence("kind", "kind", .text(table.kind.rawValue)),
            Evidence("estimatedRows", "rows (reltuples)", .count(Int64(max(0, table.estimatedRows).rounded()))),
        ]
        if let writes {
            evidence += [
                Evidence("inserted", "rows inserted since the statistics reset", .count(writes.inserted)),
                Evidence("updated", "rows updated since the statistics reset", .count(writes.updated)),
                Evidence("deleted", "rows deleted since the statistics reset", .count(writes.deleted)),
            ]
        }
        var message = "\(name) has no primary key"
        var received: [String] = []
        if let writes, writes.updated > 0 { received.append("\(Format.count(writes.updated)) rows updated") }
        if let writes, writes.deleted > 0 { received.append("\(Format.count(writes.deleted)) rows deleted") }
        if let writes, writes.updated + writes.deleted > 0 {
            let kinds = [writes.updated > 0 ? "UPDATEs" : nil, writes.deleted > 0 ? "DELETEs" : nil].compactMap { $0 }
            message += " but receives \(kinds.joined(separator: " and ")) (\(received.joined(separator: ", ")) since the "
                + "statistics reset)"
        }
        let insertOnly = writes.map { $0.updated + $0.deleted == 0 } ?? false
        let remediations: [Remediation]
        let severity: Severity
        if let candidate {
            let columns = candidate.keyColumns.compactMap(\.column)
            evidence.append(Evidence("candidateIndex", "unique index on NOT NULL columns", .text(candidate.name)))
            evidence.append(Evidence("candidateColumns", "its columns", .list(columns)))
            message += "; the unique index \(SQLQuoting.identifier(candidate.name)) on NOT NULL "
                + "\(columns.map(SQLQuoting.identifier).joined(separator: ", ")) already identifies its rows."
            severity = .info
            remediations = partitioned
                ? [.manual("Add the primary key on the partitioned table with ALTER TABLE \(name) ADD PRIMARY KEY (...) "
                    + "over the columns of \(SQLQuoting.identifier(candidate.name)); a partitioned table cannot adopt an existing index.")]
                : [.addPrimaryKeyUsingIndex(table.qualifiedName, index: candidate.name)]
        } else {
            message += insertOnly
                ? ": it only receives INSERTs so far, but duplicates go unnoticed and single rows cannot be addressed reliably."
                : ": rows cannot be addressed reliably, duplicates go unnoticed, and logical replication cannot "
                    + "replicate its UPDATEs and DELETEs."
            severity = .warning
            let natural = "If a column or set of NOT NULL columns identifies each row (a natural key), make that the "
                + "primary key instead: ALTER TABLE \(name) ADD PRIMARY KEY (...)."
            remediations = partitioned
                ? [.manual("A primary key on a partitioned table must include every partition key column: "
                    + "ALTER TABLE \(name) ADD PRIMARY KEY (<partition key columns>, ...).")]
                : [.addIdentityPrimaryKey(table.qualifiedName, column: identityColumnName(table)), .manual(natural)]
        }
        var notes: [String] = []
        if writes == nil {
            notes.append("No write statistics for this table: whether it receives UPDATE or DELETE is unknown.")
        }
        if !partitioned, candidate == nil, table.estimatedRows >= 1_000_000 {
            notes.append("Adding an identity column rewrites the table under an ACCESS EXCLUSIVE lock: plan it off-hours.")
        }
        let changes = writes.map { $0.updated + $0.deleted } ?? 0
        let total = writes.map { $0.inserted + $0.updated + $0.deleted } ?? 0
        return Finding(
            rule: description.id, severity: severity, target: .relation(table.qualifiedName), message: message,
            evidence: evidence, remediations: remediations,
            impact: Impact(score: total > 0 ? Double(changes) / Double(total) : 0,
                           summary: changes > 0 ? "\(Format.count(changes)) rows updated or deleted without a key" : "no key"),
            notes: notes)
    }

    // MARK: Example tables

    /// The demo's audit log: 10,000 rows, no key at all, purged by a retention job.
    static func auditLog(deleted: Int64) -> TableInfo {
        Example.table("shop.audit_log", rows: 10_000, columns: TableExamples.columns(
            [("logged_at", "timestamp with time zone"), ("actor", "text"), ("action", "text"), ("detail", "jsonb")],
            nullable: ["detail"]),
            activity: TableActivity(seqScans: 1, seqTuplesRead: 10_000, inserted: 700, deleted: deleted,
                                    liveTuples: 10_420, deadTuples: deleted, modifiedSinceAnalyze: 980))
    }

    static func partitionedOrders() -> TableInfo {
        var table = Example.table("shop.orders", rows: 0, columns: TableExamples.columns(
            [("id", "bigint"), ("created_at", "timestamp with time zone")]))
        table.kind = .partitioned
        table.activity = nil
        table.size = nil
        return table
    }

    static func orderPartition() -> TableInfo {
        var table = Example.table("shop.orders_2026_01", rows: 40_000, columns: TableExamples.columns(
            [("id", "bigint"), ("created_at", "timestamp with time zone")]))
        table.partitionOf = QualifiedName(schema: "shop", name: "orders")
        return table
    }

    static func extensionTable() -> TableInfo {
        var table = Example.table("public.spatial_ref_sys_extra", rows: 8_000)
        table.fromExtension = "postgis"
        return table
    }
}
