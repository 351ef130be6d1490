import Model

/// PostgreSQL 18's btree skip scan: an index on `(a, b)` answers `WHERE b = …` by one descent
/// per distinct value of `a`, and the planner chooses it when `a` has few distinct values
/// (from `pg_stats.n_distinct`; without statistics it assumes no skipping). A candidate on
/// `(b)` is then withheld in favour of the existing index. Older servers never skip.
extension CandidateGenerator {
    /// Most distinct values of the skipped leading columns (their product) for a skip scan to
    /// count as serving the candidate.
    static let skipScanMaxDistinct = 10.0

    /// Origins a skip scan serves: lookups and ranges, not an order or a LIKE prefix.
    static let skipScanOrigins: Set<String> = ["equality", "equality → range", "range", "join key", "equality → join key"]

    /// Why `spec` is served by a skip scan of an existing index, or nil.
    func skipScanRejection(_ spec: IndexSpec, origin: String) -> String? {
        guard snapshot.server.versionNumber >= 180_000, spec.predicate == nil,
              Self.skipScanOrigins.contains(origin) else { return nil }
        let sel = selectivity(spec.table)
        for index in facts.indexes(on: spec.table) {
            guard let skipped = skippedColumns(index, spec, sel: sel) else { continue }
            let distinct = skipped.reduce(1.0) { $0 * sel.distinct($1) }
            guard distinct <= Self.skipScanMaxDistinct else { continue }
            let names = skipped.map(SQLQuoting.identifier).joined(separator: ", ")
            return "served on PostgreSQL 18 by a skip scan of \(SQLQuoting.qualified(index.qualifiedName)): "
                + "its leading \(skipped.count == 1 ? "column" : "columns") \(names) \(skipped.count == 1 ? "has" : "have") "
                + "only \(Format.rows(distinct)) distinct \(distinct == 1 ? "value" : "values") (pg_stats), so the planner "
                + "descends the index that many times instead of reading the table"
        }
        return nil
    }

    /// The leading plain columns `index` has before keys equal to the candidate's, when they all
    /// have statistics; nil when the index does not have that shape.
    func skippedColumns(_ index: IndexInfo, _ spec: IndexSpec, sel: ColumnSelectivity) -> [String]? {
        guard index.isValid, index.method == "btree", index.definition != nil, index.predicate == nil else { return nil }
        let keys = index.keyColumns
        guard keys.count > spec.keys.count, spec.keys.allSatisfy({ $0.column != nil && $0.opclass == nil }) else { return nil }
        for skip in 1...(keys.count - spec.keys.count) {
            let leading = keys.prefix(skip)
            let skipped = leading.compactMap(\.column)
            guard skipped.count == skip, skipped.allSatisfy({ sel.stats[$0] != nil }) else { return nil }
            let rest = keys.dropFirst(skip).prefix(spec.keys.count)
            let sameColumns = zip(rest, spec.keys).allSatisfy { existing, wanted in
                existing.column == wanted.column && existing.opclass?.hasSuffix("_pattern_ops") != true
            }
            guard sameColumns else { continue }
            let directions = zip(rest, spec.keys).map { $0.descending == $1.descending }
            if directions.allSatisfy({ $0 }) || directions.allSatisfy({ !$0 }) { return skipped }
        }
        return nil
    }
}
