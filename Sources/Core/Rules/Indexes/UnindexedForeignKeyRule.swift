import Foundation
import Model

/// Foreign keys whose columns do not lead any valid btree index of the referencing table.
public enum UnindexedForeignKeyRule: Rule {
    public static let description = RuleDescription(
        id: "unindexed-foreign-key",
        title: "Unindexed foreign key",
        category: .indexes,
        severity: .warning,
        requirements: [.source("constraints"), .source("indexes"), .source("tables")],
        summary: "Foreign keys whose columns are not the leading key columns of a valid btree index on the referencing table, when that table has at least `min-rows` rows or the referenced table has seen `min-parent-writes` updates and deletes.",
        rationale: """
            PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the \
            referencing side. Every DELETE of a parent row, and every UPDATE of its key, looks up the \
            child rows (to raise the error, cascade or set null): without an index that is a \
            sequential scan of the child table per parent row, under a lock, and joins from parent to \
            child cannot use an index either. An index counts when it is a valid btree whose leading \
            key columns are exactly the foreign key's columns, in any order (the lookup is an \
            equality on all of them); INCLUDE columns do not count, and a partial index counts only \
            when its predicate is `column IS NOT NULL` on foreign key columns (pg-extras' rule), \
            because rows with a NULL key are never looked up. Indexes whose definition could not be \
            read are given the benefit of the doubt. To keep small tables quiet, a foreign key is \
            reported only when the referencing table has at least `min-rows` rows (a partitioned \
            table counts its partitions' rows) or the referenced table has had at least \
            `min-parent-writes` updates and deletes since the statistics reset (pgx_scripts weighs \
            child size and parent writes the same way); below both, nothing is reported. The finding \
            targets the first foreign key column (`table.column`): a table with several foreign keys \
            then gets one finding each, and the evidence names the constraint and all its columns. A \
            foreign key repeated on every partition of a reported partitioned table is reported once, \
            on the partitioned table; tables created by an extension are left alone.
            """,
        manual: "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK",
        parameters: [
            RuleParameter("min-rows", .count(1000), "Referencing tables with at least this many rows are judged."),
            RuleParameter("min-parent-writes", .count(1000),
                          "Also judged when the referenced table has had at least this many updates and deletes."),
        ],
        examples: [
            RuleExample(
                "orders.customer_id references customers and has no index",
                .triggers([.column(QualifiedName(schema: "shop", name: "orders"), "customer_id")]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.customers", rows: 50_000), Example.table("shop.orders", rows: 300_000)],
                    indexes: [
                        Example.index("shop.customers_pkey", on: "shop.customers", columns: ["id"], primary: true),
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0),
                        // customer_id is in this index, but not leading: it does not serve the lookup.
                        Example.index("shop.orders_status_customer_id_idx", on: "shop.orders",
                                      columns: ["status", "customer_id"]),
                    ],
                    constraints: [
                        IndexExamples.foreignKey("orders_customer_id_fkey", on: "shop.orders", columns: ["customer_id"],
                                                 references: "shop.customers", parentColumns: ["id"]),
                    ])),
            RuleExample(
                "a small child of a busy parent, and a two-column key with a partial index on another predicate",
                .triggers([
                    .column(QualifiedName(schema: "shop", name: "order_notes"), "order_id"),
                    .column(QualifiedName(schema: "shop", name: "shipments"), "warehouse_id"),
                ]),
                snapshot: Example.snapshot(
                    tables: [
                        Example.table("shop.orders", rows: 200_000, activity: IndexExamples.activity(
                            rows: 200_000, seqScans: 0, indexScans: 90_000, updated: 4000, deleted: 2000)),
                        Example.table("shop.order_notes", rows: 300),
                        Example.table("shop.shipments", rows: 20_000),
                    ],
                    indexes: [
                        Example.index("shop.shipments_warehouse_id_zone_idx", on: "shop.shipments",
                                      columns: ["warehouse_id", "zone"], predicate: "(shipped_at IS NULL)"),
                    ],
                    constraints: [
                        IndexExamples.foreignKey("order_notes_order_id_fkey", on: "shop.order_notes", columns: ["order_id"],
                                                 references: "shop.orders", parentColumns: ["id"], onDelete: "cascade"),
                        IndexExamples.foreignKey("shipments_warehouse_fkey", on: "shop.shipments",
                                                 columns: ["warehouse_id", "zone"], references: "shop.zones",
                                                 parentColumns: ["warehouse_id", "zone"]),
                    ])),
            RuleExample(
                "keys led by an index in another column order, by a partial IS NOT NULL index, or by a composite",
                .passes,
                snapshot: Example.snapshot(
                    tables: [
                        Example.table("shop.orders", rows: 300_000), Example.table("shop.shipments", rows: 20_000),
                        Example.table("shop.returns", rows: 40_000),
                    ],
                    indexes: [
                        Example.index("shop.orders_customer_id_status_idx", on: "shop.orders",
                                      columns: ["customer_id", "status"]),
                        Example.index("shop.shipments_zone_warehouse_id_idx", on: "shop.shipments",
                                      columns: ["zone", "warehouse_id", "shipped_at"]),
                        Example.index("shop.returns_order_id_idx", on: "shop.returns", columns: ["order_id"],
                                      predicate: "(order_id IS NOT NULL)"),
                    ],
                    constraints: [
                        IndexExamples.foreignKey("orders_customer_id_fkey", on: "shop.orders", columns: ["customer_id"],
                                                 references: "shop.customers", parentColumns: ["id"]),
                        IndexExamples.foreignKey("shipments_warehouse_fkey", on: "shop.shipments",
                                                 columns: ["warehouse_id", "zone"], references: "shop.zones",
                                                 parentColumns: ["warehouse_id", "zone"]),
                        IndexExamples.foreignKey("returns_order_id_fkey", on: "shop.returns", columns: ["order_id"],
                                                 references: "shop.orders", parentColumns: ["id"]),
                    ])),
            RuleExample(
                "an unindexed foreign key on a small table of a quiet parent",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.countries", rows: 200), Example.table("shop.regions", rows: 40)],
                    constraints: [
                        IndexExamples.foreignKey("regions_country_fkey", on: "shop.regions", columns: ["country"],
                                                 references: "shop.countries", parentColumns: ["code"]),
                    ])),
            RuleExample.withoutSource("constraints", state: .failed, "constraints not collected"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let minRows = Double(context.parameters.count("min-rows"))
        let minParentWrites = context.parameters.count("min-parent-writes")
        let snapshot = context.snapshot
        let foreignKeys = snapshot.constraints.filter { $0.kind == .foreignKey && !$0.columns.isEmpty }
        guard !foreignKeys.isEmpty else { return [] }
        // Partitioned tables have no rows of their own: count their partitions'.
        var partitionRows: [QualifiedName: Double] = [:]
        for table in snapshot.tables {
            if let parent = table.partitionOf { partitionRows[parent, default: 0] += rows(table) }
        }
        var unindexed: [(fk: ConstraintInfo, rows: Double, parentWrites: Int64?, nearMisses: [String])] = []
        for fk in foreignKeys where !IndexFacts.ownedByExtension(fk.table, context.facts) {
            let indexes = context.facts.indexes(on: fk.table)
            guard !indexes.contains(where: { serves($0, foreignKey: fk.columns) }) else { continue }
            let table = context.facts.table(fk.table)
            let tableRows = table.map { $0.kind == .partitioned ? (partitionRows[fk.table] ?? 0) : rows($0) } ?? 0
            let parentWrites = fk.referencedTable.flatMap { context.facts.table($0)?.activity }
                .map { $0.updated + $0.deleted }
            guard tableRows >= minRows || (parentWrites ?? 0) >= minParentWrites else { continue }
            let nearMisses = indexes.filter { contains($0, foreignKey: fk.columns) }.map {
                SQLQuoting.qualified($0.qualifiedName)
            }
            unindexed.append((fk, tableRows, parentWrites, nearMisses))
        }
        let reported = Set(unindexed.map { PartitionKey(table: $0.fk.table, fk: $0.fk) })
        return unindexed.compactMap { u in
            if let parent = context.facts.table(u.fk.table)?.partitionOf,
               reported.contains(PartitionKey(table: parent, fk: u.fk)) { return nil }
            return finding(
                u.fk, rows: u.rows, parentWrites: u.parentWrites, nearMisses: u.nearMisses,
                minParentWrites: minParentWrites, context: context)
        }
    }

    private struct PartitionKey: Hashable {
        var table: QualifiedName
        var columns: [String]
        var referencedTable: QualifiedName?

        init(table: QualifiedName, fk: ConstraintInfo) {
            self.table = table
            columns = fk.columns
            referencedTable = fk.referencedTable
        }
    }

    private static func rows(_ table: TableInfo) -> Double {
        max(table.estimatedRows, Double(table.activity?.liveTuples ?? 0), 0)
    }

    /// Whether `index` serves the lookup `WHERE fk1 = $1 AND fk2 = $2 ...` of a foreign key check.
    static func serves(_ index: IndexInfo, foreignKey columns: [String]) -> Bool {
        guard index.isValid, index.method == "btree" else { return false }
        let keys = index.keyColumns
        guard keys.count >= columns.count else { return false }
        let leading = keys.prefix(columns.count).map(\.column)
        guard leading.allSatisfy({ $0 != nil }), Set(leading.compactMap { $0 }) == Set(columns) else { return false }
        // Without a definition the predicate is unknown: give the index the benefit of the doubt.
        guard index.definition != nil, let predicate = index.predicate else { return true }
        return isNotNullPredicate(predicate, columns: columns)
    }

    /// Whether every foreign key column is a key column of `index`, in whatever position: the
    /// evidence lists such indexes as not serving the check.
    static func contains(_ index: IndexInfo, foreignKey columns: [String]) -> Bool {
        Set(columns).isSubset(of: Set(index.keyColumns.compactMap(\.column)))
    }

    /// Whether `predicate` is `col IS NOT NULL` (or a conjunction of such) on foreign key
    /// columns, ignoring wrapping parentheses, spacing and keyword case.
    static func isNotNullPredicate(_ predicate: String, columns: [String]) -> Bool {
        let parts = conjuncts(predicate)
        guard !parts.isEmpty else { return false }
        // pg_get_expr quotes identifiers as quote_ident does, so the column reads as SQLQuoting renders it.
        let accepted = Set(columns.map { SQLQuoting.identifier($0) })
        let suffix = " is not null"
        return parts.allSatisfy { part in
            guard part.lowercased().hasSuffix(suffix) else { return false }
            return accepted.contains(stripParentheses(String(part.dropLast(suffix.count))))
        }
    }

    /// The top-level AND operands of `text`, each stripped of wrapping parentheses, with runs
    /// of whitespace made single spaces.
    static func conjuncts(_ text: String) -> [String] {
        let flat = stripParentheses(text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var index = flat.startIndex
        while index < flat.endIndex {
            let character = flat[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
            } else if depth == 0, character == " ", flat[index...].prefix(5).lowercased() == " and " {
                parts.append(current)
                current = ""
                index = flat.index(index, offsetBy: 5)
                continue
            }
            current.append(character)
            index = flat.index(after: index)
        }
        parts.append(current)
        return parts.map { stripParentheses($0) }.filter { !$0.isEmpty }
    }

    /// `x` for `((x))`, but `(a) OR (b)` unchanged: only parentheses that wrap the whole text.
    static func stripParentheses(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespaces)
        while text.hasPrefix("("), text.hasSuffix(")") {
            var depth = 0
            var wrapsAll = true
            let last = text.count - 1
            for (offset, character) in text.enumerated() {
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                if depth == 0 && offset < last { wrapsAll = false; break }
            }
            guard wrapsAll else { break }
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    private static func finding(
        _ fk: ConstraintInfo, rows: Double, parentWrites: Int64?, nearMisses: [String], minParentWrites: Int64,
        context: RuleContext
    ) -> Finding {
        let snapshot = context.snapshot
        let table = context.facts.table(fk.table)
        let tableName = SQLQuoting.qualified(fk.table)
        let columnList = fk.columns.map { SQLQuoting.identifier($0) }.joined(separator: ", ")
        let parent = fk.referencedTable.map { SQLQuoting.qualified($0) } ?? "its parent table"
        let bytes = table?.size?.bytes ?? table.map { $0.pages * Int64(snapshot.server.blockSize) }
        var evidence: [Evidence] = [
            Evidence("constraint", "constraint", .text(fk.name)),
            Evidence("columns", "columns", .list(fk.columns)),
            Evidence("referencedTable", "referenced table", .text(parent)),
            Evidence("tableRows", "rows of the referencing table", .count(Int64(rows.rounded()))),
        ]
        if let bytes { evidence.append(Evidence("tableSizeBytes", "size of the referencing table", .bytes(bytes))) }
        if let parentWrites {
            evidence.append(Evidence("parentUpdatesDeletes", "updates and deletes of the referenced table", .count(parentWrites)))
        }
        if let onDelete = fk.onDelete { evidence.append(Evidence("onDelete", "on delete", .text(onDelete))) }
        if let onUpdate = fk.onUpdate { evidence.append(Evidence("onUpdate", "on update", .text(onUpdate))) }
        if !nearMisses.isEmpty {
            evidence.append(Evidence("indexesNotServing", "indexes holding the columns but not serving the check", .list(nearMisses)))
        }
        var notes: [String] = []
        if table?.kind == .partitioned {
            notes.append("\(tableName) is partitioned: CREATE INDEX CONCURRENTLY is not supported on it; create the "
                + "index concurrently on each partition, then CREATE INDEX ON ONLY \(tableName) and ATTACH each one.")
        }
        if !nearMisses.isEmpty {
            notes.append("An index holds the columns but does not serve the check (not leading, partial, invalid or not a "
                + "btree); extending or reordering it may be cheaper than a new index.")
        }
        let sizeText = bytes.map { ", \(Format.bytes($0))" } ?? ""
        let message = "foreign key \(SQLQuoting.identifier(fk.name)) on \(tableName) (\(columnList)) referencing "
            + "\(parent) has no index leading with its column\(fk.columns.count > 1 ? "s" : ""): each DELETE of a "
            + "referenced row, or UPDATE of its key, scans \(tableName) (\(Format.rows(rows)) rows\(sizeText))"
            + (parentWrites.map {
                $0 >= minParentWrites ? ", and \(parent) has had \(Format.count($0)) updates and deletes" : ""
            } ?? "")
            + "."
        let score = bytes.map { IndexFacts.shareOfDatabase($0, snapshot) } ?? 0
        return Finding(
            rule: description.id, severity: .warning, target: .column(fk.table, fk.columns[0]),
            message: message, evidence: evidence,
            remediations: [.createIndex(IndexSpec(table: fk.table, columns: fk.columns))],
            impact: Impact(score: score, summary: "a scan of \(Format.rows(rows)) rows per referenced-row delete"),
            notes: notes)
    }
}
