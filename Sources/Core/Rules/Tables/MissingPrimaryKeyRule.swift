import Model
import Planner

/// Tables without a primary key.
public enum MissingPrimaryKeyRule: Rule {
    public static let description = RuleDescription(
        id: "missing-primary-key",
        title: "Missing primary key",
        category: .tables,
        severity: .warning,
        requirements: [.source("tables"), .source("constraints")],
        summary: "Tables (and partitioned tables) without a primary key that receive UPDATE or DELETE; info when a unique index on NOT NULL columns could become the key, or when the table only receives INSERTs.",
        rationale: """
            Without a primary key duplicate rows creep in, single rows cannot be addressed reliably, \
            logical replication cannot replicate UPDATE and DELETE (it needs a replica identity), and \
            pg_repack cannot rewrite the table online. Partitions inherit their parent's key and \
            extension-owned tables are not the user's to change, so both are left out. A table that has \
            received no UPDATE or DELETE since the statistics were reset (an append-only log such as \
            pgbench_history) is reported at info: a key still addresses and de-duplicates rows and lets \
            pg_repack work, and logical replication will need a replica identity should UPDATE or DELETE \
            ever come, but such logs are often keyless on purpose, so the key is offered as a manual step \
            (`include-insert-only = false` leaves them out). When a valid unique btree index without expressions or predicate covers NOT NULL \
            columns, the finding is info and the fix promotes that index; otherwise the fix adds a \
            bigint identity column, though a natural key is often the better choice.
            """,
        manual: "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-PRIMARY-KEYS",
        parameters: [
            RuleParameter("include-insert-only", .flag(true), "Report keyless tables that receive only INSERTs, at info; false leaves them out."),
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
            RuleExample("pgbench: keys everywhere except the insert-only pgbench_history (info)",
                        .triggers([.relation(QualifiedName(schema: "public", name: "pgbench_history"))]),
                        snapshot: TableExamples.pgbench()),
            RuleExample("pgbench with insert-only tables left out", .passes,
                        parameters: ["include-insert-only": "false"], snapshot: TableExamples.pgbench()),
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
    ) -> Writes? {
        guard table.kind == .partitioned else {
            return table.activity.map { ($0.inserted, $0.updated, $0.deleted) }
        }
        guard depth < 16 else { return nil }
        var total: Writes = (0, 0, 0)
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

    /// Rows written since the statistics reset, by kind.
    typealias Writes = (inserted: Int64, updated: Int64, deleted: Int64)

    /// What a finding advises: its severity, the end of its message, and the fix.
    struct Advice {
        var severity: Severity
        var message: String
        var evidence: [Evidence] = []
        var remediations: [Remediation]
        var notes: [String] = []
    }

    static func finding(_ table: TableInfo, writes: Writes?, context: RuleContext) -> Finding {
        let candidate = promotableIndex(table, indexes: context.facts.indexes(on: table.qualifiedName))
        let insertOnly = writes.map { $0.updated + $0.deleted == 0 } ?? false
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
        let advice = candidate.map { promotion(table, candidate: $0) }
            ?? (insertOnly ? appendOnly(table, inserted: writes?.inserted ?? 0) : identityKey(table))
        var notes = advice.notes
        if writes == nil {
            notes.append("No write statistics for this table: whether it receives UPDATE or DELETE is unknown.")
        }
        if table.kind != .partitioned, candidate == nil, table.estimatedRows >= 1_000_000 {
            notes.append("Adding an identity column rewrites the table under an ACCESS EXCLUSIVE lock: plan it off-hours.")
        }
        let changes = writes.map { $0.updated + $0.deleted } ?? 0
        let total = writes.map { $0.inserted + $0.updated + $0.deleted } ?? 0
        return Finding(
            rule: description.id, severity: advice.severity, target: .relation(table.qualifiedName),
            message: "\(SQLQuoting.qualified(table.qualifiedName)) has no primary key" + received(writes) + advice.message,
            evidence: evidence + advice.evidence, remediations: advice.remediations,
            impact: Impact(score: total > 0 ? Double(changes) / Double(total) : 0,
                           summary: changes > 0 ? "\(Format.count(changes)) rows updated or deleted without a key" : "no key"),
            notes: notes)
    }

    /// ` but receives UPDATEs and DELETEs (12 rows updated, 280 rows deleted since the statistics
    /// reset)`, or nothing when it received neither.
    static func received(_ writes: Writes?) -> String {
        guard let writes, writes.updated + writes.deleted > 0 else { return "" }
        var counts: [String] = []
        if writes.updated > 0 { counts.append("\(Format.count(writes.updated)) rows updated") }
        if writes.deleted > 0 { counts.append("\(Format.count(writes.deleted)) rows deleted") }
        let kinds = [writes.updated > 0 ? "UPDATEs" : nil, writes.deleted > 0 ? "DELETEs" : nil].compactMap { $0 }
        return " but receives \(kinds.joined(separator: " and ")) (\(counts.joined(separator: ", ")) since the statistics reset)"
    }

    /// A unique index on NOT NULL columns already identifies the rows: promote it (info).
    static func promotion(_ table: TableInfo, candidate: IndexInfo) -> Advice {
        let name = SQLQuoting.qualified(table.qualifiedName)
        let columns = candidate.keyColumns.compactMap(\.column)
        return Advice(
            severity: .info,
            message: "; the unique index \(SQLQuoting.identifier(candidate.name)) on NOT NULL "
                + "\(columns.map(SQLQuoting.identifier).joined(separator: ", ")) already identifies its rows.",
            evidence: [
                Evidence("candidateIndex", "unique index on NOT NULL columns", .text(candidate.name)),
                Evidence("candidateColumns", "its columns", .list(columns)),
            ],
            remediations: table.kind == .partitioned
                ? [.manual("Add the primary key on the partitioned table with ALTER TABLE \(name) ADD PRIMARY KEY (...) "
                    + "over the columns of \(SQLQuoting.identifier(candidate.name)); a partitioned table cannot adopt an existing index.")]
                : [.addPrimaryKeyUsingIndex(table.qualifiedName, index: candidate.name)])
    }

    /// A keyless table that only receives INSERTs (info): why a key may still matter, that such
    /// logs are often keyless on purpose, and the key as a manual step, not a planned rewrite.
    static func appendOnly(_ table: TableInfo, inserted: Int64) -> Advice {
        let name = SQLQuoting.qualified(table.qualifiedName)
        let add = table.kind == .partitioned
            ? "ALTER TABLE \(name) ADD PRIMARY KEY (<partition key columns>, ...)"
            : RemediationSQL.sql(.addIdentityPrimaryKey(table.qualifiedName, column: identityColumnName(table)))
        return Advice(
            severity: .info,
            message: (inserted > 0 ? ": it only receives INSERTs so far" : ": it received no UPDATE or DELETE since the statistics reset")
                + ", yet a key still matters: single rows can be addressed and "
                + "duplicates found, pg_repack can rewrite the table online, and logical replication can replicate "
                + "UPDATE and DELETE should they ever come.",
            evidence: [Evidence("whyAKeyMatters", "what a key gives", .list([
                "row addressing and de-duplication", "pg_repack", "logical replication of UPDATE and DELETE",
            ]))],
            remediations: [.manual("If rows need a key: \(add) (or ADD PRIMARY KEY over a natural key); adding a "
                + "column rewrites the table under an ACCESS EXCLUSIVE lock.")],
            notes: ["Append-only logs are often keyless on purpose: if no row is ever addressed, de-duplicated or "
                + "repacked, leave the table as it is (missing-primary-key.include-insert-only = false stops reporting such tables)."])
    }

    /// A keyless table that receives UPDATE or DELETE (or of unknown writes): add a key (warning).
    static func identityKey(_ table: TableInfo) -> Advice {
        let name = SQLQuoting.qualified(table.qualifiedName)
        let natural = "If a column or set of NOT NULL columns identifies each row (a natural key), make that the "
            + "primary key instead: ALTER TABLE \(name) ADD PRIMARY KEY (...)."
        return Advice(
            severity: .warning,
            message: ": rows cannot be addressed reliably, duplicates go unnoticed, and logical replication cannot "
                + "replicate its UPDATEs and DELETEs.",
            remediations: table.kind == .partitioned
                ? [.manual("A primary key on a partitioned table must include every partition key column: "
                    + "ALTER TABLE \(name) ADD PRIMARY KEY (<partition key columns>, ...).")]
                : [.addIdentityPrimaryKey(table.qualifiedName, column: identityColumnName(table)), .manual(natural)])
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
