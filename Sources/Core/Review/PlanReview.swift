import Model
import QueryParser

/// The plan checks of one statement: full scans of large tables, budgets, sorts and hashes
/// over work_mem, nested loops over large inputs. Pure over the plan and the snapshot's tables.
public struct PlanReview {
    let thresholds: ReviewThresholds
    private let resolver: CatalogResolver
    /// A full scan is flagged when it is estimated to keep at most this share of the table's rows.
    static let selectiveShare = 0.1

    public init(thresholds: ReviewThresholds, snapshot: Snapshot) {
        self.thresholds = thresholds
        resolver = CatalogResolver(snapshot)
    }

    /// The table a plan node scans. EXPLAIN without VERBOSE names it without its schema, so
    /// the name is resolved along the search_path, as the statement's was.
    private func table(_ name: QualifiedName) -> TableInfo? {
        resolver.table(RelationReference(schema: name.schema.isEmpty ? nil : name.schema, name: name.name))
    }

    /// The findings for `plan` (the top node); `analyzed` when it carries actual figures.
    public func findings(_ plan: PlanNode, analyzed: Bool) -> [ReviewFinding] {
        var findings = budgets(plan)
        var scanned: Set<QualifiedName> = []
        visit(plan, parent: nil) { node, parent in
            if let finding = seqScan(node), let table = node.relation, scanned.insert(table).inserted { findings.append(finding) }
            if let finding = sort(node, parent: parent) { findings.append(finding) }
            if let finding = hash(node) { findings.append(finding) }
            if let finding = nestedLoop(node) { findings.append(finding) }
        }
        return findings
    }

    private func visit(_ node: PlanNode, parent: PlanNode?, _ body: (PlanNode, PlanNode?) -> Void) {
        body(node, parent)
        for child in node.children { visit(child, parent: node, body) }
    }

    private func budgets(_ plan: PlanNode) -> [ReviewFinding] {
        var findings: [ReviewFinding] = []
        if let maxCost = thresholds.maxCost, plan.totalCost > maxCost {
            findings.append(ReviewFinding(check: .costOverBudget,
                message: "estimated cost \(Format.decimal(plan.totalCost)) is over the budget of \(Format.decimal(maxCost)) (--max-cost)"))
        }
        // A write's top node (ModifyTable) returns no rows without RETURNING: count what it changes.
        let counted = plan.nodeType == "ModifyTable" ? plan.children.first ?? plan : plan
        let rows = counted.actualRows ?? counted.rows
        if let maxRows = thresholds.maxRows, rows > maxRows {
            findings.append(ReviewFinding(check: .rowsOverBudget,
                message: "\(plan.actualRows == nil ? "estimated" : "actual") \(Format.rows(rows)) rows is over the budget of \(Format.rows(maxRows)) (--max-rows)"))
        }
        return findings
    }

    private func seqScan(_ node: PlanNode) -> ReviewFinding? {
        // A scan that keeps most rows (an aggregate of the whole table, a full export) has no
        // better plan; one that discards most of them is what an index would serve.
        guard node.nodeType == "Seq Scan", let name = node.relation, let table = table(name), thresholds.isLarge(table),
              node.rows <= max(1, table.estimatedRows) * Self.selectiveShare else { return nil }
        return ReviewFinding(check: .seqScanLargeTable,
            message: "Seq Scan reads all of \(table.qualifiedName) (\(ReviewThresholds.describe(table))) to return ~\(Format.rows(node.rows)) rows",
            fix: "an index on the filtered columns (see missing-index), or a narrower WHERE")
    }

    /// A sort whose input does not fit in work_mem. Under a LIMIT the sort keeps only the top
    /// rows (a top-N heapsort), so the limit's rows count.
    private func sort(_ node: PlanNode, parent: PlanNode?) -> ReviewFinding? {
        guard node.nodeType == "Sort" || node.nodeType == "Incremental Sort" else { return nil }
        if let spilled = node.sortSpaceType {
            guard spilled == "Disk" else { return nil }
            return ReviewFinding(check: .sortOverWorkMem,
                message: "the sort of ~\(Format.rows(node.actualRows ?? node.rows)) rows spilled to disk (work_mem \(workMem))",
                fix: "an index in the ORDER BY order, fewer or narrower rows, or a larger work_mem for this query")
        }
        guard let limit = thresholds.workMemBytes else { return nil }
        let rows = parent?.nodeType == "Limit" ? min(node.rows, parent?.rows ?? node.rows) : node.rows
        let bytes = rows * Double(node.width)
        guard bytes > Double(limit) else { return nil }
        return ReviewFinding(check: .sortOverWorkMem,
            message: "the sort of ~\(Format.rows(rows)) rows × \(node.width) bytes (≈ \(Format.bytes(Int64(bytes)))) exceeds work_mem \(workMem): it spills to disk",
            fix: "an index in the ORDER BY order, fewer or narrower rows, or a larger work_mem for this query")
    }

    /// A hash table (Hash under a hash join, or a hashed aggregate) over work_mem × hash_mem_multiplier.
    private func hash(_ node: PlanNode) -> ReviewFinding? {
        let isHash = node.nodeType == "Hash" || (node.nodeType == "Aggregate" && node.strategy == "Hashed")
        guard isHash else { return nil }
        let what = node.nodeType == "Hash" ? "hash join's hash table" : "hash aggregate"
        let fix = "join or group on fewer rows (filter earlier), or a larger work_mem / hash_mem_multiplier for this query"
        if let batches = node.hashBatches {
            guard batches > 1 else { return nil }
            return ReviewFinding(check: .hashOverWorkMem,
                message: "the \(what) of ~\(Format.rows(node.actualRows ?? node.rows)) rows was split into \(batches) batches on disk", fix: fix)
        }
        guard let limit = thresholds.workMemBytes else { return nil }
        let budget = Double(limit) * thresholds.hashMemMultiplier
        let bytes = node.rows * Double(node.width)
        guard bytes > budget else { return nil }
        return ReviewFinding(check: .hashOverWorkMem,
            message: "the \(what) of ~\(Format.rows(node.rows)) rows × \(node.width) bytes (≈ \(Format.bytes(Int64(bytes)))) exceeds work_mem × hash_mem_multiplier (\(Format.bytes(Int64(budget)))): it spills to disk",
            fix: fix)
    }

    /// A nested loop repeating a non-index inner side for a large outer side.
    private func nestedLoop(_ node: PlanNode) -> ReviewFinding? {
        guard node.nodeType == "Nested Loop", node.children.count == 2 else { return nil }
        let outer = node.children[0]
        var inner = node.children[1]
        while inner.nodeType == "Memoize", let below = inner.children.first { inner = below }
        let lookups: Set<String> = ["Index Scan", "Index Only Scan", "Bitmap Heap Scan"]
        guard outer.rows >= thresholds.nestedLoopRows, !lookups.contains(inner.nodeType) else { return nil }
        let target = inner.relation.map { " on \(table($0).map { SQLQuoting.qualified($0.qualifiedName) } ?? $0.name)" } ?? ""
        return ReviewFinding(check: .nestedLoopLarge,
            message: "a nested loop runs its inner \(inner.nodeType)\(target) for each of ~\(Format.rows(outer.rows)) outer rows (~\(Format.rows(outer.rows * max(1, inner.rows))) row visits)",
            fix: "an index on the inner side's join key, or fresher statistics (ANALYZE) if the row estimate is wrong")
    }

    private var workMem: String { thresholds.workMemBytes.map(Format.bytes) ?? "unknown" }
}
