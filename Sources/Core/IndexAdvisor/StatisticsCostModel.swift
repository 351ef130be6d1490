import Foundation
import Model

/// Costs from `pg_stats` alone, for when hypopg is not there or the input is a snapshot file:
/// a sequential scan against each usable index (existing or added), with the planner's
/// default costs and selectivities. Rough, so its advice is marked unverified.
public final class StatisticsCostModel: IndexCostModel {
    public let verified = false
    public let explainCalls = 0
    private let facts: SnapshotFacts
    private let costs: Costs
    /// Under the C collation a plain btree serves `LIKE 'abc%'`; otherwise only `*_pattern_ops`.
    private let collationIsC: Bool
    /// Rows a LIMIT is assumed to fetch when its value is a parameter.
    private static let assumedLimit = 100.0

    struct Costs {
        var seqPage = 1.0, randomPage = 4.0, cpuTuple = 0.01, cpuIndexTuple = 0.005, cpuOperator = 0.0025
    }

    public init(snapshot: Snapshot, facts: SnapshotFacts) {
        self.facts = facts
        var costs = Costs()
        costs.seqPage = snapshot.number("seq_page_cost") ?? costs.seqPage
        costs.randomPage = snapshot.number("random_page_cost") ?? costs.randomPage
        costs.cpuTuple = snapshot.number("cpu_tuple_cost") ?? costs.cpuTuple
        costs.cpuIndexTuple = snapshot.number("cpu_index_tuple_cost") ?? costs.cpuIndexTuple
        costs.cpuOperator = snapshot.number("cpu_operator_cost") ?? costs.cpuOperator
        self.costs = costs
        collationIsC = ["C", "POSIX"].contains(snapshot.setting("lc_collate")?.value ?? "")
    }

    public func estimate(_ statement: AnalyzedStatement, with indexes: [IndexSpec]) throws -> PlanCost {
        // Rows each access keeps on its own: the outer side of a nested loop is the smallest.
        let kept = statement.accesses.map { access in
            rows(access.table) * filterFraction(access)
        }
        var total = 0.0
        var used: Set<IndexSpec> = []
        for (i, access) in statement.accesses.enumerated() {
            let outer = kept.indices.filter { $0 != i }.map { kept[$0] }.min()
            let options = existing(access.table) + indexes.filter { $0.table == access.table }
            var best = sequentialCost(access)
            var bestIndex: IndexSpec?
            for index in options {
                if let cost = indexCost(access, index, probes: nil), cost < best {
                    (best, bestIndex) = (cost, index)
                }
                if let outer, !access.joins.isEmpty, let cost = indexCost(access, index, probes: max(1, outer)),
                   cost < best {
                    (best, bestIndex) = (cost, index)
                }
            }
            total += best
            if let bestIndex, indexes.contains(bestIndex) { used.insert(bestIndex) }
        }
        return PlanCost(cost: total, used: indexes.filter(used.contains))
    }

    public func size(of index: IndexSpec) throws -> Int64 {
        Self.estimatedBytes(index, facts: facts)
    }

    /// Leaf size of a btree: rows × (key widths, aligned, + 8-byte tuple header + 4-byte line
    /// pointer) at 90 % fill, times the share of rows a partial index keeps.
    static func estimatedBytes(_ index: IndexSpec, facts: SnapshotFacts) -> Int64 {
        guard let table = facts.table(index.table) else { return 0 }
        let stats = facts.columnStats(index.table)
        let aligned = Double(keyWidth(index, stats: stats))
        var rows = max(table.estimatedRows, 0)
        if let predicate = index.predicate {
            let sel = ColumnSelectivity(rows: rows, stats: stats)
            let condition = stats.keys.sorted().lazy.compactMap { column -> Double? in
                for test in [RowCondition.Test.isNull, .isNotNull, .isTrue, .isFalse] {
                    let c = RowCondition(column: column, test: test)
                    if c.sql == predicate { return sel.fraction(c) }
                }
                return nil
            }.first
            rows *= condition ?? 0.5
        }
        let bytes = rows * (aligned + 8 + 4) / 0.9
        return Int64(max(8192, (bytes / 8192).rounded(.up) * 8192 + 8192))
    }

    /// The width of an index's keys from `pg_stats` average widths, aligned to 8 bytes (8 per
    /// key without statistics); an expression key counts the column it reads.
    static func keyWidth(_ index: IndexSpec, stats: [String: ColumnStats]) -> Int {
        let columns = stats.keys.sorted()
        let width = index.keys.reduce(0) { sum, key in
            let column = key.column ?? key.expression.flatMap { expr in
                columns.first { expr.contains("\"\($0)\"") || expr.contains("(\($0))") }
            }
            return sum + (column.flatMap { stats[$0]?.averageWidth } ?? 8)
        }
        return (width + 7) / 8 * 8
    }

    private func rows(_ table: QualifiedName) -> Double { max(1, facts.table(table)?.estimatedRows ?? 1) }

    private func selectivity(_ table: QualifiedName) -> ColumnSelectivity {
        ColumnSelectivity(rows: rows(table), stats: facts.columnStats(table))
    }

    /// The share of rows the access keeps after all its conditions (joins aside).
    private func filterFraction(_ access: TableAccess) -> Double {
        let sel = selectivity(access.table)
        var f = access.equality.reduce(1.0) { $0 * sel.equality($1) }
        f *= pow(ColumnSelectivity.defaultRange, Double(access.ranges.count))
        f *= pow(ColumnSelectivity.defaultPrefix, Double(access.prefixes.count))
        for condition in access.conditions { f *= sel.fraction(condition) ?? 0.5 }
        return max(f, 1 / rows(access.table))
    }

    private func conditionCount(_ access: TableAccess) -> Double {
        Double(access.equality.count + access.ranges.count + access.prefixes.count + access.conditions.count)
    }

    /// A sequential scan with every condition as a filter, plus the sort when there is an ORDER BY.
    private func sequentialCost(_ access: TableAccess) -> Double {
        let table = facts.table(access.table)
        let pages = Double(max(1, table?.pages ?? 1))
        let n = rows(access.table)
        var cost = pages * costs.seqPage + n * (costs.cpuTuple + conditionCount(access) * costs.cpuOperator)
        if !access.sort.isEmpty { cost += sortCost(n * filterFraction(access)) }
        return cost
    }

    private func sortCost(_ rows: Double) -> Double {
        let n = max(rows, 2)
        return 2 * costs.cpuOperator * n * log2(n)
    }

    /// true when index key `key` is `access` key `wanted`: the same column, or the same expression.
    private static func same(_ key: IndexKey, _ wanted: AccessKey) -> Bool {
        let w = wanted.indexKey
        if let column = key.column { return w.column == column }
        guard let e = key.expression, let we = w.expression else { return false }
        return CandidateGenerator.normalized(e) == CandidateGenerator.normalized(we)
    }

    /// The cost of reading the access through `index`, nil when the index serves none of its
    /// conditions nor its order. With `probes`, the cost of that many nested-loop lookups on
    /// the join keys.
    private func indexCost(_ access: TableAccess, _ index: IndexSpec, probes: Double?) -> Double? {
        var condition: RowCondition?
        if let predicate = index.predicate {
            condition = access.conditions.first {
                CandidateGenerator.normalized($0.sql) == CandidateGenerator.normalized(predicate)
            }
            guard condition != nil else { return nil }
        }
        let sel = selectivity(access.table)
        let n = rows(access.table)
        var fraction = 1.0
        var matched = 0
        var position = 0
        var probesJoin = false
        for key in index.keys {
            if let e = access.equality.first(where: { Self.same(key, $0) }) {
                fraction *= sel.equality(e)
            } else if probes != nil, let j = access.joins.first(where: { Self.same(key, $0) }) {
                fraction *= 1 / sel.distinct(j.column)
                probesJoin = true
            } else {
                break
            }
            matched += 1
            position += 1
        }
        if probes != nil && !probesJoin { return nil }
        if position < index.keys.count {
            let key = index.keys[position]
            if access.ranges.contains(where: { Self.same(key, $0) }) {
                fraction *= ColumnSelectivity.defaultRange
                matched += 1
            } else if key.opclass?.hasSuffix("_pattern_ops") == true || collationIsC,
                      access.prefixes.contains(where: { Self.same(key, $0) }) {
                fraction *= ColumnSelectivity.defaultPrefix
                matched += 1
            }
        }
        var sortServed = false
        if !access.sort.isEmpty {
            let rest = Array(index.keys.dropFirst(position).prefix(access.sort.count))
            if rest.count == access.sort.count && zip(rest, access.sort).allSatisfy({ Self.same($0.0, $0.1.key) }) {
                // A forward scan gives the keys' own directions, a backward scan all of them reversed.
                let flips = zip(rest, access.sort).map { $0.0.descending != $0.1.descending }
                sortServed = flips.allSatisfy { $0 } || flips.allSatisfy { !$0 }
            }
        }
        if let condition {
            fraction *= sel.fraction(condition) ?? 0.5
            matched += 1
        }
        guard matched > 0 || sortServed else { return nil }
        var fetched = max(1, n * fraction)
        let remaining = filterFraction(access) / max(fraction, 1 / n)
        var sort = 0.0
        if sortServed {
            if access.hasLimit { fetched = min(fetched, Self.assumedLimit / max(min(remaining, 1), 1 / n)) }
        } else if !access.sort.isEmpty {
            sort = sortCost(fetched * min(remaining, 1))
        }
        let pages = Double(max(1, facts.table(access.table)?.pages ?? 1))
        let correlation = index.keys.first?.column.flatMap { sel.stats[$0]?.correlation } ?? 0
        let c2 = correlation * correlation
        let heap = c2 * (fetched / n * pages) * costs.seqPage + (1 - c2) * min(fetched, pages) * costs.randomPage
        let descent = costs.randomPage * (log(n) / log(256) + 1)
        let cost = descent + fetched * (costs.cpuIndexTuple + costs.cpuTuple + conditionCount(access) * costs.cpuOperator)
            + heap + sort
        return cost * (probes ?? 1)
    }

    /// The table's valid btree indexes as specs: columns, expressions, operator classes of the
    /// `*_pattern_ops` kind (the default ones are left implicit), directions and predicates.
    private func existing(_ table: QualifiedName) -> [IndexSpec] {
        facts.indexes(on: table).compactMap { index in
            guard index.isValid, index.method == "btree", index.definition != nil else { return nil }
            let keys = index.keyColumns.compactMap { c -> IndexKey? in
                guard c.column != nil || c.expression != nil else { return nil }
                let pattern = c.opclass?.hasSuffix("_pattern_ops") == true
                return IndexKey(column: c.column, expression: c.column == nil ? c.expression : nil,
                                descending: c.descending, opclass: pattern ? c.opclass : nil)
            }
            guard keys.count == index.keyColumns.count, !keys.isEmpty else { return nil }
            return IndexSpec(table: table, keys: keys, predicate: index.predicate)
        }
    }
}
