import Model
import Planner

/// Indexes that exactly duplicate another index of the same table.
public enum DuplicateIndexRule: Rule {
    public static let description = RuleDescription(
        id: "duplicate-index",
        title: "Duplicate index",
        category: .indexes,
        severity: .warning,
        requirements: [.source("indexes")],
        summary: "Indexes with the same method, key columns or expressions in the same order, operator classes, sort options, collations, INCLUDE columns and predicate as another index of the same table; the one to drop is reported.",
        rationale: """
            Two identical indexes serve exactly the same reads, but both are updated on every insert \
            and non-HOT update, both take disk and cache, and both slow VACUUM. The comparison is \
            stricter than the PostgreSQL wiki's (which ignores sort options and collations): keys \
            must match in order with the same operator class, ASC/DESC, NULLS FIRST/LAST and \
            collation, and the predicate and INCLUDE columns must be the same. Uniqueness is not part \
            of the comparison, because a plain index duplicates a unique one for every read; instead \
            it decides which one to keep: the index backing a constraint, then a primary key or \
            unique index, then the more scanned one, then the first name in alphabetical order. An \
            index backing a constraint is never the one dropped; when both back constraints, the \
            finding asks the DBA to drop one constraint by hand. Indexes whose definition could not \
            be read (the table was locked during collection) are not compared, and invalid indexes \
            are left to `invalid-index`, and tables created by an extension are left alone. A duplicate \
            repeated on every partition of a partitioned table is reported once, on the partitioned \
            table (the partitions' copies are attached and go with it). Prefix-covered indexes are reported separately by \
            `redundant-index`.
            """,
        manual: "https://www.postgresql.org/docs/current/indexes-multicolumn.html",
        examples: [
            RuleExample(
                "a plain index on sku next to the unique constraint's index on sku",
                .triggers([.relation(QualifiedName(schema: "shop", name: "products_sku_idx"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.products", rows: 5000)],
                    indexes: [
                        Example.index("shop.products_pkey", on: "shop.products", columns: ["id"], primary: true, scans: 0),
                        Example.index("shop.products_sku_idx", on: "shop.products", columns: ["sku"], scans: 900, pages: 40),
                        Example.index("shop.products_sku_key", on: "shop.products", columns: ["sku"], unique: true,
                                      constraint: "products_sku_key", scans: 0, pages: 40),
                    ],
                    constraints: [
                        IndexExamples.constraint("products_pkey", on: "shop.products", columns: ["id"], kind: .primaryKey),
                        IndexExamples.constraint("products_sku_key", on: "shop.products", columns: ["sku"]),
                    ])),
            RuleExample(
                "two plain indexes on the same column: the less used one goes",
                .triggers([.relation(QualifiedName(schema: "shop", name: "orders_status_idx"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000)],
                    indexes: [
                        Example.index("shop.orders_status_idx", on: "shop.orders", columns: ["status"], scans: 3, pages: 300),
                        Example.index("shop.orders_status_idx1", on: "shop.orders", columns: ["status"], scans: 7000, pages: 300),
                    ])),
            RuleExample(
                "a unique constraint duplicating the primary key: advice only",
                .triggers([.relation(QualifiedName(schema: "shop", name: "customers_id_key"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.customers", rows: 50_000)],
                    indexes: [
                        Example.index("shop.customers_id_key", on: "shop.customers", columns: ["id"], unique: true,
                                      constraint: "customers_id_key", scans: 10, pages: 140),
                        Example.index("shop.customers_pkey", on: "shop.customers", columns: ["id"], primary: true,
                                      scans: 0, pages: 140),
                    ],
                    constraints: [
                        IndexExamples.constraint("customers_id_key", on: "shop.customers", columns: ["id"]),
                        IndexExamples.constraint("customers_pkey", on: "shop.customers", columns: ["id"], kind: .primaryKey),
                    ])),
            RuleExample(
                "a primary key with zero scans and indexes differing in sort order, predicate or INCLUDE",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000)],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0),
                        Example.index("shop.orders_created_at_idx", on: "shop.orders", columns: ["created_at"]),
                        IndexExamples.modified(
                            Example.index("shop.orders_created_at_desc_idx", on: "shop.orders", columns: ["created_at"])
                        ) { $0.columns[0].descending = true; $0.columns[0].nullsFirst = true },
                        Example.index("shop.orders_created_at_open_idx", on: "shop.orders", columns: ["created_at"],
                                      predicate: "(status = 'open'::text)"),
                        IndexExamples.modified(
                            Example.index("shop.orders_created_at_incl_idx", on: "shop.orders", columns: ["created_at", "total"])
                        ) { $0.columns[1] = IndexColumn(column: "total", isKey: false) },
                        IndexExamples.modified(
                            Example.index("shop.orders_created_at_brin", on: "shop.orders", columns: ["created_at"], method: "brin")
                        ) { $0.columns[0].opclass = "timestamptz_minmax_ops" },
                    ],
                    constraints: [
                        IndexExamples.constraint("orders_pkey", on: "shop.orders", columns: ["id"], kind: .primaryKey),
                    ])),
            RuleExample(
                "identical columns but the definitions could not be read (table locked)",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000)],
                    indexes: [
                        IndexExamples.modified(
                            Example.index("shop.orders_lower_email_idx", on: "shop.orders", columns: ["email"])
                        ) { $0.definition = nil; $0.columns = [IndexColumn(column: nil, opclass: "text_ops")] },
                        IndexExamples.modified(
                            Example.index("shop.orders_lower_email_idx1", on: "shop.orders", columns: ["email"])
                        ) { $0.definition = nil; $0.columns = [IndexColumn(column: nil, opclass: "text_ops")] },
                    ])),
            RuleExample.withoutSource("indexes", state: .denied, "indexes not collected"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let groups = duplicateGroups(context)
        // A partitioned table's duplicate is repeated on every partition (attached copies that
        // cannot be dropped alone): report it once, on the partitioned table.
        let reported = Set(groups.map { PartitionKey(table: $0.table, signature: $0.signature) })
        var findings: [Finding] = []
        for group in groups {
            if let parent = context.facts.table(group.table)?.partitionOf,
               reported.contains(PartitionKey(table: parent, signature: group.signature)) { continue }
            guard let kept = group.members.max(by: { keepOrder($0.index, $1.index) }) else { continue }
            for member in group.members where member.index.name != kept.index.name {
                findings.append(finding(drop: member.index, shape: member.shape, keep: kept.index, context: context))
            }
        }
        return findings
    }

    /// Valid, live indexes of one table that share a duplicate signature, in the table's index
    /// order, each with the shape it was compared by.
    private struct Group {
        var table: QualifiedName
        var signature: IndexShape.DuplicateSignature
        var members: [(index: IndexInfo, shape: IndexShape)]
    }

    /// Every group of two or more identical indexes, table by table; indexes whose definition
    /// could not be read have no shape and are not compared.
    private static func duplicateGroups(_ context: RuleContext) -> [Group] {
        var groups: [Group] = []
        let tables = IndexFacts.tablesWithIndexes(context.snapshot)
        for table in tables where !IndexFacts.ownedByExtension(table, context.facts) {
            var bySignature: [IndexShape.DuplicateSignature: Group] = [:]
            var order: [IndexShape.DuplicateSignature] = []
            for index in context.facts.indexes(on: table) where index.isValid && index.isLive {
                guard let shape = IndexShape(index) else { continue }
                let signature = shape.duplicateSignature
                if bySignature[signature] == nil { order.append(signature) }
                bySignature[signature, default: Group(table: table, signature: signature, members: [])]
                    .members.append((index, shape))
            }
            groups += order.compactMap { bySignature[$0] }.filter { $0.members.count > 1 }
        }
        return groups
    }

    private struct PartitionKey: Hashable {
        var table: QualifiedName
        var signature: IndexShape.DuplicateSignature
    }

    /// true when `a` is a worse index to keep than `b`.
    static func keepOrder(_ a: IndexInfo, _ b: IndexInfo) -> Bool {
        func rank(_ i: IndexInfo) -> [Int64] {
            let nnd = IndexShape(i)?.nullsNotDistinct ?? false
            return [i.constraint != nil ? 1 : 0, i.isPrimary ? 1 : 0, i.isUnique ? 1 : 0, nnd ? 1 : 0, i.scans]
        }
        let ra = rank(a), rb = rank(b)
        if ra != rb { return ra.lexicographicallyPrecedes(rb) }
        return a.name > b.name  // the first name in alphabetical order is kept
    }

    private static func keepReason(_ kept: IndexInfo, over dropped: IndexInfo) -> String {
        if let constraint = kept.constraint, dropped.constraint == nil {
            return "it backs constraint \(SQLQuoting.identifier(constraint))"
        }
        if kept.isPrimary && !dropped.isPrimary { return "it is the primary key" }
        if kept.isUnique && !dropped.isUnique { return "it is unique" }
        if kept.scans != dropped.scans {
            return "it is scanned more: \(Format.count(kept.scans)) scans against \(Format.count(dropped.scans))"
        }
        return "its name comes first"
    }

    private static func finding(
        drop index: IndexInfo, shape: IndexShape, keep kept: IndexInfo, context: RuleContext
    ) -> Finding {
        let snapshot = context.snapshot
        let bytes = IndexFacts.bytes(index, blockSize: snapshot.server.blockSize)
        let name = SQLQuoting.qualified(index.qualifiedName)
        let keptName = SQLQuoting.qualified(kept.qualifiedName)
        var evidence: [Evidence] = [
            Evidence("keptIndex", "kept index", .text(keptName)),
            Evidence("sizeBytes", "size", .bytes(bytes)),
            Evidence("scans", "scans", .count(index.scans)),
            Evidence("keptScans", "scans of the kept index", .count(kept.scans)),
            Evidence("columns", "columns", .text(shape.display)),
        ]
        if let definition = index.definition { evidence.append(Evidence("definition", "definition", .text(definition))) }
        if let definition = kept.definition { evidence.append(Evidence("keptDefinition", "kept definition", .text(definition))) }
        var notes: [String] = []
        if let note = IndexFacts.partitionNote(table: index.table, facts: context.facts) { notes.append(note) }
        let score = IndexFacts.shareOfDatabase(bytes, snapshot)
        let impact = Impact(score: score, summary: "\(Format.bytes(bytes)) of duplicate index")

        if let constraint = index.constraint {
            // Both back constraints (the kept one ranks first): dropping the index is not possible
            // without dropping its constraint, which is the DBA's decision.
            evidence.append(Evidence("constraint", "constraint", .text(constraint)))
            return Finding(
                rule: description.id, severity: .warning, target: .relation(index.qualifiedName),
                message: "index \(name) backs constraint \(SQLQuoting.identifier(constraint)) and exactly duplicates "
                    + "\(keptName) on \(SQLQuoting.qualified(index.table)) \(shape.display), which backs "
                    + "\(kept.constraint.map { SQLQuoting.identifier($0) } ?? "another constraint"): one of the two "
                    + "constraints is redundant and its \(Format.bytes(bytes)) index is updated on every write.",
                evidence: evidence,
                remediations: [.manual(
                    "drop the redundant constraint \(SQLQuoting.identifier(constraint)) with "
                        + StatementSQL.inline(StatementSQL.dropConstraint(constraint, on: index.table)) + " "
                        + "after checking that no foreign key references it (such a drop fails) and that no "
                        + "application relies on its name; its index goes with it")],
                impact: impact, notes: notes)
        }

        if index.isUnique, referencedByForeignKey(index, shape: shape, snapshot: snapshot) {
            notes.append("A foreign key references these columns of \(SQLQuoting.qualified(index.table)) and may "
                + "depend on this unique index: if DROP INDEX fails with a dependency error, keep this one and drop "
                + "\(keptName) instead.")
        }
        return Finding(
            rule: description.id, severity: .warning, target: .relation(index.qualifiedName),
            message: "index \(name) exactly duplicates \(keptName) on \(SQLQuoting.qualified(index.table)) "
                + "\(shape.display): keep \(keptName) (\(keepReason(kept, over: index))) and drop \(name), which takes "
                + "\(Format.bytes(bytes)) and is updated on every write.",
            evidence: evidence,
            remediations: [.dropIndex(index.qualifiedName, definition: index.definition)],
            impact: impact, notes: notes)
    }

    /// Whether a foreign key references exactly the key columns of this unique index.
    private static func referencedByForeignKey(_ index: IndexInfo, shape: IndexShape, snapshot: Snapshot) -> Bool {
        let columns = Set(shape.keys.compactMap(\.column))
        guard columns.count == shape.keys.count else { return false }
        return snapshot.constraints.contains { c in
            c.kind == .foreignKey && c.referencedTable == index.table && Set(c.referencedColumns ?? []) == columns
        }
    }
}
