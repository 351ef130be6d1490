import Model

/// Plain btree indexes whose key columns lead a wider btree index of the same table.
public enum RedundantIndexRule: Rule {
    public static let description = RuleDescription(
        id: "redundant-index",
        title: "Redundant (prefix-covered) index",
        category: .indexes,
        severity: .warning,
        requirements: [.source("indexes")],
        summary: "Plain btree indexes whose key columns are a leading prefix of another valid btree index of the same table with the same predicate, so the wider index serves the same lookups; the narrower one is reported, never the wider.",
        rationale: """
            A btree on (a, b) answers every lookup and range scan on (a) that a btree on (a) answers, \
            so the narrower index only adds write work, disk and cache. The narrower index A is \
            reported when it is a valid btree that is neither unique, primary, exclusion nor backing \
            a constraint (dropping those changes behaviour), and another valid btree B of the same \
            table with the same predicate starts with exactly A's keys — same columns or \
            expressions, operator classes, ASC/DESC, NULLS order and collations — and has more of \
            them. B may be unique: a plain index is covered by a unique one. INCLUDE columns are \
            not keys: they do not make A's keys longer, but A's INCLUDE columns must appear in B \
            (as keys or INCLUDE) or A's index-only scans would be lost; an index whose keys equal \
            B's but whose INCLUDE list is a strict subset of B's is covered too. Exact duplicates \
            are `duplicate-index`'s; tables created by an extension are left alone, and a redundancy \
            repeated on every partition of a partitioned table is reported once, on that table. When several indexes cover A, the finding names the narrowest \
            one that is not itself redundant. Every FK lookup A served is still served, since B \
            leads with the same columns. B is larger, so a lookup through it reads a little more: \
            the finding says to check latency-critical queries that use A. When A is scanned and \
            a plain B never is, B is the waste (unused-index reports it) and A is not reported: \
            dropping both would leave A's reads with no index.
            """,
        manual: "https://www.postgresql.org/docs/current/indexes-multicolumn.html",
        examples: [
            RuleExample(
                "an index on created_at next to one on (created_at, total)",
                .triggers([.relation(QualifiedName(schema: "shop", name: "orders_created_at_idx"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 300_000)],
                    indexes: [
                        Example.index("shop.orders_created_at_idx", on: "shop.orders", columns: ["created_at"],
                                      scans: 40, pages: 830),
                        Example.index("shop.orders_created_at_total_idx", on: "shop.orders",
                                      columns: ["created_at", "total"], scans: 900, pages: 1200),
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0,
                                      pages: 830),
                    ])),
            RuleExample(
                "a plain index covered by a unique one, and a chain of three",
                .triggers([
                    .relation(QualifiedName(schema: "shop", name: "customers_email_idx")),
                    .relation(QualifiedName(schema: "shop", name: "events_a_idx")),
                    .relation(QualifiedName(schema: "shop", name: "events_a_b_idx")),
                ]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.customers", rows: 50_000), Example.table("shop.events", rows: 80_000)],
                    indexes: [
                        Example.index("shop.customers_email_idx", on: "shop.customers", columns: ["email"]),
                        Example.index("shop.customers_email_country_key", on: "shop.customers",
                                      columns: ["email", "country"], unique: true),
                        Example.index("shop.events_a_b_idx", on: "shop.events", columns: ["a", "b"]),
                        Example.index("shop.events_a_b_c_idx", on: "shop.events", columns: ["a", "b", "c"]),
                        Example.index("shop.events_a_idx", on: "shop.events", columns: ["a"]),
                    ])),
            RuleExample(
                "primary key with zero scans as a prefix, and prefixes that differ in order, predicate or INCLUDE",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 300_000)],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0),
                        Example.index("shop.orders_id_status_idx", on: "shop.orders", columns: ["id", "status"]),
                        Example.index("shop.orders_status_idx", on: "shop.orders", columns: ["status"],
                                      predicate: "(total > (100)::numeric)"),
                        Example.index("shop.orders_status_total_idx", on: "shop.orders", columns: ["status", "total"]),
                        IndexExamples.modified(
                            Example.index("shop.orders_created_at_idx", on: "shop.orders", columns: ["created_at"])
                        ) { $0.columns[0].descending = true; $0.columns[0].nullsFirst = true },
                        Example.index("shop.orders_created_at_total_idx", on: "shop.orders", columns: ["created_at", "total"]),
                        IndexExamples.modified(
                            Example.index("shop.orders_customer_id_idx", on: "shop.orders", columns: ["customer_id", "note"])
                        ) { $0.columns[1] = IndexColumn(column: "note", isKey: false) },
                        Example.index("shop.orders_customer_id_total_idx", on: "shop.orders", columns: ["customer_id", "total"]),
                        Example.index("shop.orders_ref_key", on: "shop.orders", columns: ["ref"], unique: true),
                        Example.index("shop.orders_ref_status_idx", on: "shop.orders", columns: ["ref", "status"]),
                    ])),
            RuleExample(
                "an expression index is not a prefix of a column index",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.customers", rows: 50_000)],
                    indexes: [
                        IndexExamples.modified(
                            Example.index("shop.customers_lower_email_idx", on: "shop.customers", columns: ["email"])
                        ) { $0.columns = [IndexColumn(column: nil, expression: "lower(email)", opclass: "text_ops")] },
                        Example.index("shop.customers_email_country_idx", on: "shop.customers", columns: ["email", "country"]),
                    ])),
            RuleExample(
                "the narrow index does the work while the wider one is never scanned",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 300_000)],
                    indexes: [
                        Example.index("shop.orders_created_at_idx", on: "shop.orders", columns: ["created_at"], scans: 5000),
                        Example.index("shop.orders_created_at_total_idx", on: "shop.orders", columns: ["created_at", "total"], scans: 0),
                    ])),
            RuleExample.withoutSource("indexes", state: .failed, "indexes not collected"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        var redundancies: [(index: IndexInfo, shape: IndexShape, cover: IndexInfo, coverShape: IndexShape)] = []
        for table in IndexFacts.tablesWithIndexes(snapshot) where !IndexFacts.ownedByExtension(table, context.facts) {
            let candidates: [(IndexInfo, IndexShape)] = context.facts.indexes(on: table).compactMap { index in
                guard index.isValid, index.isLive, index.method == "btree", let shape = IndexShape(index) else { return nil }
                return (index, shape)
            }
            guard candidates.count > 1 else { continue }
            let redundant = candidates.map { a in
                droppable(a.0) && candidates.contains { b in
                    b.0.name != a.0.name && covers(b.1, a.1) && stays(b.0, while: a.0)
                }
            }
            for (position, (index, shape)) in candidates.enumerated() where redundant[position] {
                let covers = candidates.enumerated().filter { other in
                    other.element.0.name != index.name && Self.covers(other.element.1, shape)
                        && stays(other.element.0, while: index)
                }
                // Name a cover that stays: one that is not itself redundant exists (coverage is a
                // strict order), and the narrowest of those is the closest match.
                let staying = covers.filter { !redundant[$0.offset] }.map(\.element)
                let pool = staying.isEmpty ? covers.map(\.element) : staying
                let best = pool.min { x, y in
                    if x.1.keys.count != y.1.keys.count { return x.1.keys.count < y.1.keys.count }
                    if (x.0.constraint != nil) != (y.0.constraint != nil) { return x.0.constraint != nil }
                    if x.0.scans != y.0.scans { return x.0.scans > y.0.scans }
                    return x.0.name < y.0.name
                }!
                redundancies.append((index, shape, best.0, best.1))
            }
        }
        // Repeated on every partition of a partitioned table: report once, on the partitioned table.
        let reported = Set(redundancies.map { PartitionKey(table: $0.index.table, shape: $0.shape) })
        return redundancies.compactMap { r in
            if let parent = context.facts.table(r.index.table)?.partitionOf,
               reported.contains(PartitionKey(table: parent, shape: r.shape)) { return nil }
            return finding(r.index, shape: r.shape, cover: r.cover, coverShape: r.coverShape, context: context)
        }
    }

    private struct PartitionKey: Hashable {
        var table: QualifiedName
        var shape: IndexShape
    }

    /// Whether `cover` can take over `narrow`'s reads. A cover that was never scanned while the
    /// narrow index does the work is itself the waste (unused-index reports it, unless it
    /// enforces something): advising to drop the narrow index too would leave the reads with
    /// no index at all.
    static func stays(_ cover: IndexInfo, while narrow: IndexInfo) -> Bool {
        cover.scans > 0 || narrow.scans == 0 || !droppable(cover)
    }

    /// Indexes that enforce nothing, so dropping them changes no behaviour.
    static func droppable(_ index: IndexInfo) -> Bool {
        !index.isUnique && !index.isPrimary && !index.isExclusion && index.constraint == nil
    }

    /// Whether btree `wide` serves every read btree `narrow` serves, without being its exact duplicate.
    static func covers(_ wide: IndexShape, _ narrow: IndexShape) -> Bool {
        guard wide.method == "btree", narrow.method == "btree", wide.predicate == narrow.predicate,
              wide.keys.count >= narrow.keys.count, Array(wide.keys.prefix(narrow.keys.count)) == narrow.keys
        else { return false }
        let narrowInclude = Set(narrow.include)
        if wide.keys.count == narrow.keys.count {
            // Same keys: covered only when the wide index includes strictly more columns.
            let wideInclude = Set(wide.include)
            return narrowInclude.isStrictSubset(of: wideInclude)
        }
        let wideColumns = Set(wide.keys.compactMap(\.column)).union(wide.include)
        return narrowInclude.isSubset(of: wideColumns)
    }

    private static func finding(
        _ index: IndexInfo, shape: IndexShape, cover: IndexInfo, coverShape: IndexShape, context: RuleContext
    ) -> Finding {
        let snapshot = context.snapshot
        let bytes = IndexFacts.bytes(index, blockSize: snapshot.server.blockSize)
        let coverBytes = IndexFacts.bytes(cover, blockSize: snapshot.server.blockSize)
        let name = SQLQuoting.qualified(index.qualifiedName)
        let coverName = SQLQuoting.qualified(cover.qualifiedName)
        var evidence: [Evidence] = [
            Evidence("coveringIndex", "covering index", .text(coverName)),
            Evidence("sizeBytes", "size", .bytes(bytes)),
            Evidence("coveringSizeBytes", "size of the covering index", .bytes(coverBytes)),
            Evidence("scans", "scans", .count(index.scans)),
            Evidence("coveringScans", "scans of the covering index", .count(cover.scans)),
            Evidence("columns", "columns", .text(shape.display)),
            Evidence("coveringColumns", "columns of the covering index", .text(coverShape.display)),
        ]
        if let definition = index.definition { evidence.append(Evidence("definition", "definition", .text(definition))) }
        if let definition = cover.definition {
            evidence.append(Evidence("coveringDefinition", "covering definition", .text(definition)))
        }
        let relation = coverShape.keys.count > shape.keys.count ? "is a leading prefix of" : "has the same keys and fewer INCLUDE columns than"
        var notes = [
            "\(coverName) has wider entries (it takes \(Format.bytes(coverBytes)), this one \(Format.bytes(bytes))), so a "
                + "lookup through it reads a little more: check latency-critical queries that use \(name) "
                + "(\(Format.count(index.scans)) scans since the statistics reset) before dropping it.",
        ]
        if let note = IndexFacts.partitionNote(table: index.table, facts: context.facts) { notes.append(note) }
        return Finding(
            rule: description.id, severity: .warning, target: .relation(index.qualifiedName),
            message: "index \(name) \(shape.display) \(relation) \(coverName) \(coverShape.display) on "
                + "\(SQLQuoting.qualified(index.table)): the wider index serves the same lookups, so \(name) only costs "
                + "\(Format.bytes(bytes)) and work on every write.",
            evidence: evidence,
            remediations: [.dropIndex(index.qualifiedName, definition: index.definition)],
            impact: Impact(score: IndexFacts.shareOfDatabase(bytes, snapshot), summary: "\(Format.bytes(bytes)) of redundant index"),
            notes: notes)
    }
}
