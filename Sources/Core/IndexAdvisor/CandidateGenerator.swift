import Model

/// Generates candidate btree indexes per statement and table, in the order that serves the
/// statement: equality keys first (the ones more statements share, then the more selective),
/// then one range, prefix or the ORDER BY keys; join keys for the inner side of a nested loop;
/// expression keys for `lower(col)`; partial indexes for rare values. Candidates an existing
/// valid index already serves, and tables too small to matter, are rejected with the reason.
struct CandidateGenerator {
    let snapshot: Snapshot
    let facts: SnapshotFacts
    let options: IndexAdvisorOptions

    /// Columns with at most this many distinct values are categorical: a constant of theirs
    /// can be the WHERE of a partial index.
    static let categoricalDistinct = 100.0

    struct Output {
        var candidates: [IndexCandidate] = []
        var rejections: [CandidateRejection] = []
        /// For each rejection, the statements that suggested the candidate.
        var rejectedFor: [[Int]] = []
    }

    func generate(_ statements: [AnalyzedStatement]) -> Output {
        let usage = equalityUsage(statements)
        var order: [IndexSpec] = []
        var sources: [IndexSpec: (origin: String, statements: [Int], columns: [String])] = [:]
        for (index, statement) in statements.enumerated() {
            for access in statement.accesses {
                for (spec, origin, columns) in candidates(for: access, usage: usage) {
                    if var entry = sources[spec] {
                        if !entry.statements.contains(index) { entry.statements.append(index) }
                        sources[spec] = entry
                    } else {
                        sources[spec] = (origin, [index], columns)
                        order.append(spec)
                    }
                }
            }
        }
        var output = Output()
        for spec in order {
            let source = sources[spec]!
            if let reason = rejection(spec) ?? skipScanRejection(spec, origin: source.origin) {
                output.rejections.append(CandidateRejection(spec: spec, reason: reason))
                output.rejectedFor.append(source.statements)
            } else {
                output.candidates.append(IndexCandidate(
                    spec: spec, origin: source.origin, statements: source.statements, columns: source.columns))
            }
        }
        return output
    }

    /// How many statements use each key as an equality condition, per table.
    private func equalityUsage(_ statements: [AnalyzedStatement]) -> [QualifiedName: [AccessKey: Int]] {
        var usage: [QualifiedName: [AccessKey: Int]] = [:]
        for statement in statements {
            var seen: Set<[AnyHashable]> = []
            for access in statement.accesses {
                for key in access.equality + access.joins where seen.insert([access.table, key]).inserted {
                    usage[access.table, default: [:]][key, default: 0] += 1
                }
            }
        }
        return usage
    }

    func selectivity(_ table: QualifiedName) -> ColumnSelectivity {
        let rows = facts.table(table).map { max($0.estimatedRows, 0) } ?? 0
        return ColumnSelectivity(rows: rows, stats: facts.columnStats(table))
    }

    /// The candidates one access suggests, with their origin.
    private func candidates(for access: TableAccess, usage: [QualifiedName: [AccessKey: Int]]) -> [(IndexSpec, String, [String])] {
        let sel = selectivity(access.table)
        let shared = usage[access.table] ?? [:]
        let equality = access.equality.sorted { a, b in
            let (ua, ub) = (shared[a] ?? 0, shared[b] ?? 0)
            if ua != ub { return ua > ub }
            let (sa, sb) = (sel.equality(a), sel.equality(b))
            if sa != sb { return sa < sb }
            return a < b
        }
        let width = options.maxColumns
        var result: [(IndexSpec, String, [String])] = []
        // The column each expression key reads.
        var expressionColumns: [String: String] = [:]
        for key in access.equality + access.ranges + access.prefixes + access.joins + access.sort.map(\.key) {
            if let expression = key.indexKey.expression { expressionColumns[expression] = key.column }
        }
        func add(_ keys: [IndexKey], _ origin: String, predicate: String? = nil, predicateColumn: String? = nil) {
            var unique: [IndexKey] = []
            for key in keys where !unique.contains(where: { $0.column == key.column && $0.expression == key.expression }) {
                unique.append(key)
            }
            let trimmed = Array(unique.prefix(width))
            guard !trimmed.isEmpty else { return }
            let spec = IndexSpec(table: access.table, keys: trimmed, predicate: predicate)
            var columns = trimmed.compactMap { $0.column ?? $0.expression.flatMap { expressionColumns[$0] } }
            if let predicateColumn, !columns.contains(predicateColumn) { columns.append(predicateColumn) }
            if !result.contains(where: { $0.0 == spec }) { result.append((spec, origin, columns)) }
        }
        let eqKeys = equality.map(\.indexKey)
        let ranges = access.ranges.sorted { sel.distinct($0.column) > sel.distinct($1.column) }
        let sortKeys = sortIndexKeys(access.sort)
        let prefixKeys = access.prefixes.map { prefixKey($0, table: access.table) }
        let usableSort = !sortKeys.isEmpty && (access.hasLimit || !eqKeys.isEmpty || access.ranges.isEmpty)

        if !eqKeys.isEmpty {
            if usableSort { add(eqKeys + sortKeys, "equality → ORDER BY") }
            if let range = ranges.first { add(eqKeys + [range.indexKey], "equality → range") }
            if let prefix = prefixKeys.first { add(eqKeys + [prefix], "equality → LIKE prefix") }
            add(eqKeys, "equality")
        } else {
            if usableSort { add(sortKeys, "ORDER BY") }
            if let range = ranges.first {
                add([range.indexKey], "range")
                if usableSort, sortKeys.first != range.indexKey { add([range.indexKey] + sortKeys, "range → ORDER BY") }
            }
            if let prefix = prefixKeys.first { add([prefix], "LIKE prefix") }
        }
        // Join keys, for the inner side of a nested loop; a key a unique index already leads
        // (a primary key) is served: another index would only cover it.
        for join in access.joins where !uniquelyIndexed(join, table: access.table) {
            add([join.indexKey], "join key")
            if !eqKeys.isEmpty { add(eqKeys + [join.indexKey], "equality → join key") }
            // A join key fixed by the other side's equality (`c.id = $1`) acts as one: with the
            // ORDER BY keys after it, the inner side comes out sorted.
            if !sortKeys.isEmpty { add(eqKeys + [join.indexKey] + sortKeys, "join key → ORDER BY") }
        }
        // Partial indexes: a condition that keeps few rows becomes the WHERE; the other keys stay.
        for condition in access.conditions {
            guard let fraction = sel.fraction(condition), fraction <= options.partialMaxFraction else { continue }
            // A constant of a categorical column (`status = 'open'`), not one id among thousands.
            if case .equals = condition.test, sel.distinct(condition.column) > Self.categoricalDistinct { continue }
            let others = eqKeys.filter { $0.column != condition.column }
            var keys = others
            if usableSort { keys += sortKeys } else if let range = ranges.first { keys.append(range.indexKey) }
            keys = keys.filter { $0.column != condition.column }
            if keys.isEmpty { keys = [.column(condition.column)] }
            add(keys, "partial", predicate: condition.sql, predicateColumn: condition.column)
        }
        return result
    }

    /// true when a valid unique index of the table has `key` as its only key column.
    private func uniquelyIndexed(_ key: AccessKey, table: QualifiedName) -> Bool {
        guard key.function == nil else { return false }
        return facts.indexes(on: table).contains { index in
            index.isUnique && index.isValid && index.predicate == nil && index.keyColumns.count == 1
                && index.keyColumns[0].column == key.column
        }
    }

    /// ORDER BY keys as index keys: all descending reads backwards, so only a mixed order needs DESC.
    private func sortIndexKeys(_ sort: [SortAccess]) -> [IndexKey] {
        let allDescending = sort.allSatisfy(\.descending)
        return sort.map { s in
            var key = s.key.indexKey
            key.descending = allDescending ? false : s.descending
            return key
        }
    }

    /// A LIKE-prefix key: `text_pattern_ops` unless the database collation is C.
    private func prefixKey(_ key: AccessKey, table: QualifiedName) -> IndexKey {
        var indexKey = key.indexKey
        let collation = snapshot.setting("lc_collate")?.value ?? ""
        guard !["C", "POSIX"].contains(collation), key.function == nil,
              let type = facts.table(table)?.column(named: key.column)?.type else { return indexKey }
        if type == "text" || type.hasPrefix("character varying") {
            indexKey.opclass = "text_pattern_ops"
        } else if type.hasPrefix("character") {
            indexKey.opclass = "bpchar_pattern_ops"
        }
        return indexKey
    }

    /// Why a candidate is not worth costing, or nil.
    private func rejection(_ spec: IndexSpec) -> String? {
        guard let table = facts.table(spec.table) else { return "table not in the snapshot" }
        if table.estimatedRows < options.minTableRows {
            let rows = table.estimatedRows < 0 ? "never analyzed" : "\(Format.rows(table.estimatedRows)) rows"
            return "table too small to matter (\(rows), under \(Format.rows(options.minTableRows)))"
        }
        for index in facts.indexes(on: spec.table) where covers(index, spec) {
            return "already served by \(SQLQuoting.qualified(index.qualifiedName)) (same leading keys)"
        }
        return nil
    }

    /// true when `index` is a valid btree whose leading keys are the candidate's — same columns or
    /// expressions, operator classes, and sort directions (or all of them reversed: a backward
    /// scan) — with the same (or no) predicate.
    private func covers(_ index: IndexInfo, _ spec: IndexSpec) -> Bool {
        guard index.isValid, index.method == "btree", index.definition != nil else { return false }
        if let predicate = index.predicate, Self.normalized(predicate) != spec.predicate.map(Self.normalized) {
            return false
        }
        let keys = index.keyColumns
        guard keys.count >= spec.keys.count else { return false }
        var sameDirection = true, reversed = true
        for (existing, wanted) in zip(keys, spec.keys) {
            if let column = wanted.column {
                guard existing.column == column else { return false }
            } else {
                guard existing.column == nil, let e = existing.expression, let w = wanted.expression,
                      Self.normalized(e) == Self.normalized(w) else { return false }
            }
            let patternOps = existing.opclass?.hasSuffix("_pattern_ops") == true
            if let opclass = wanted.opclass {
                guard existing.opclass == opclass else { return false }
            } else if patternOps {
                return false
            }
            if existing.descending != wanted.descending { sameDirection = false } else { reversed = false }
        }
        return sameDirection || reversed
    }

    /// Expression text compared loosely: `lower((email)::text)` and `lower("email")` match.
    static func normalized(_ sql: String) -> String {
        var text = sql.lowercased()
        for cast in ["::text", "::character varying", "::bpchar"] { text = text.replacingOccurrences(of: cast, with: "") }
        return String(text.filter { !"\"() ".contains($0) })
    }
}
