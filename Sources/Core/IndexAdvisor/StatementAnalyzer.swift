import Model
import QueryParser

/// Turns workload statements into ``AnalyzedStatement``s: parses them with libpg_query, resolves
/// relations and columns against the snapshot, and collects per table the conditions and sort
/// orders an index could serve.
struct StatementAnalyzer {
    let resolver: CatalogResolver

    init(snapshot: Snapshot) {
        resolver = CatalogResolver(snapshot)
    }

    enum Outcome {
        case analyzed(AnalyzedStatement)
        case skipped(String, SkippedStatement.Kind = .other)
    }

    /// Longer statement texts are not parsed: generated statements (IN lists or VALUES of
    /// thousands of items) would cost seconds and hundreds of megabytes of parse tree.
    static let maxTextBytes = 100 << 10

    func analyze(_ statement: WorkloadStatement) -> Outcome {
        let bytes = statement.text.utf8.count
        guard bytes <= Self.maxTextBytes else {
            return .skipped("not parsed: its text is \(Format.bytes(Int64(bytes))), over the \(Format.bytes(Int64(Self.maxTextBytes))) "
                + "the advisor parses (a generated statement, such as a long IN list)")
        }
        let shape: StatementShape
        do {
            shape = try QueryParser.analyze(statement.text)
        } catch {
            return .skipped("not parsed by the PostgreSQL 15 grammar: \(error.description)")
        }
        switch shape.kind {
        case .utility(let node):
            return .skipped("utility statement (\(node)): no index serves it", .utility)
        case .insert where shape.scopes.isEmpty:
            return .skipped("INSERT ... VALUES reads no table (its cost to indexes counts as write overhead)")
        default:
            break
        }
        var occurrences: [[TableInfo?]] = []
        var unresolved: Set<RelationReference> = []
        for scope in shape.scopes {
            occurrences.append(scope.relations.map { reference in
                let table = resolver.table(reference)
                if table == nil { unresolved.insert(reference) }
                return table
            })
        }
        var builder = AccessBuilder(shape: shape, occurrences: occurrences)
        builder.collect()
        let accesses = builder.accesses.filter { !$0.isEmpty }
        guard !accesses.isEmpty else {
            if occurrences.allSatisfy({ $0.allSatisfy { $0 == nil } }) {
                return Self.readsNoTable(unresolved)
            }
            return .skipped("no condition, join or ORDER BY an index could serve")
        }
        var updated: [QualifiedName: [String]] = [:]
        if shape.kind == .update, let target = shape.target, let table = resolver.table(target) {
            updated[table.qualifiedName] = shape.updatedColumns
        }
        var analyzed = AnalyzedStatement(
            statement: statement, text: shape.text, parameterTypes: builder.parameterTypes(count: shape.parameterCount, literals: shape.literalTypes),
            accesses: accesses, updatedColumns: updated, kind: shape.kind)
        analyzed.arithmeticParameters = shape.arithmeticParameters
        return .analyzed(analyzed)
    }

    /// A statement none of whose relations is a table of the snapshot: catalog-only when it
    /// reads no relation at all or only system catalogs (`pg_catalog`, `information_schema`,
    /// unqualified `pg_` names), else named with the relations it could not resolve.
    static func readsNoTable(_ unresolved: Set<RelationReference>) -> Outcome {
        guard !unresolved.isEmpty else { return .skipped("reads no table", .catalogOnly) }
        let names = unresolved.map { reference in reference.schema.map { "\($0).\(reference.name)" } ?? reference.name }
            .sorted().joined(separator: ", ")
        let catalog = unresolved.allSatisfy { reference in
            guard let schema = reference.schema else { return reference.name.hasPrefix("pg_") }
            return schema == "pg_catalog" || schema == "information_schema"
        }
        if catalog { return .skipped("reads only system catalogs (\(names))", .catalogOnly) }
        return .skipped("reads no table of the snapshot (\(names): a view, a catalog or temporary table, or not on the search_path)")
    }
}

/// Walks the scopes of one statement, resolving each column to a table occurrence.
private struct AccessBuilder {
    let shape: StatementShape
    /// `occurrences[scope][relation]`: the resolved table of each FROM entry.
    let occurrences: [[TableInfo?]]
    private var bySlot: [Slot: TableAccess] = [:]
    private var slotOrder: [Slot] = []
    private var typedParameters: [Int: String] = [:]

    /// One table occurrence: scope and position in its FROM list.
    private struct Slot: Hashable {
        var scope: Int
        var relation: Int
    }

    init(shape: StatementShape, occurrences: [[TableInfo?]]) {
        self.shape = shape
        self.occurrences = occurrences
    }

    var accesses: [TableAccess] { slotOrder.compactMap { bySlot[$0] } }

    /// Each parameter's type: the one its typed literal names (`date $1`, costed as `$1::date`),
    /// else that of the column it is compared with, else nil (the server infers it).
    func parameterTypes(count: Int, literals: [Int: String]) -> [String?] {
        (0..<count).map { literals[$0 + 1] ?? typedParameters[$0 + 1] }
    }

    mutating func collect() {
        for (index, scope) in shape.scopes.enumerated() {
            for predicate in scope.predicates { add(predicate, scope: index) }
            addSort(scope, index: index)
        }
    }

    /// The occurrence a column belongs to: by qualifier, else the one FROM entry with that
    /// column; then the enclosing scopes (a correlated reference).
    private func resolve(_ column: ColumnReference, scope: Int) -> Slot? {
        var current: Int? = scope
        while let s = current {
            let relations = shape.scopes[s].relations
            if let qualifier = column.qualifier {
                if shape.scopes[s].derivedNames.contains(qualifier) { return nil }
                let matches = relations.indices.filter { relations[$0].exposedName == qualifier }
                if let i = matches.first, matches.count == 1 {
                    return occurrences[s][i]?.column(named: column.name) != nil ? Slot(scope: s, relation: i) : nil
                }
            } else {
                let matches = relations.indices.filter { occurrences[s][$0]?.column(named: column.name) != nil }
                if matches.count == 1 { return Slot(scope: s, relation: matches[0]) }
                if matches.count > 1 { return nil }
                // A column of a CTE or subquery of this level is not a table column here.
                if !shape.scopes[s].derivedNames.isEmpty && column.qualifier == nil && relations.isEmpty { return nil }
            }
            current = shape.scopes[s].parent
        }
        return nil
    }

    private func key(_ operand: Operand) -> AccessKey {
        switch operand {
        case .column(let c):
            return AccessKey(column: c.name)
        case .function(let schema, let name, let argument):
            let function = schema.map { SQLQuoting.qualified(QualifiedName(schema: $0, name: name)) }
                ?? SQLQuoting.identifier(name)
            return AccessKey(column: argument.name, function: function)
        }
    }

    private mutating func access(_ slot: Slot) -> TableAccess? {
        guard let table = occurrences[slot.scope][slot.relation] else { return nil }
        if bySlot[slot] == nil {
            bySlot[slot] = TableAccess(table: table.qualifiedName, hasLimit: shape.scopes[slot.scope].hasLimit)
            slotOrder.append(slot)
        }
        return bySlot[slot]
    }

    private mutating func add(_ predicate: Predicate, scope: Int) {
        guard let slot = resolve(predicate.operand.column, scope: scope), var access = access(slot),
              let table = occurrences[slot.scope][slot.relation] else { return }
        let key = key(predicate.operand)
        let isColumn = key.function == nil
        switch predicate.kind {
        case .equality, .inList:
            if case .column(let other) = predicate.value {
                guard let otherSlot = resolve(other, scope: scope), otherSlot != slot else { return }
                append(key, to: &access.joins)
                bySlot[slot] = access
                if var otherAccess = self.access(otherSlot) {
                    append(AccessKey(column: other.name), to: &otherAccess.joins)
                    bySlot[otherSlot] = otherAccess
                }
                return
            }
            append(key, to: &access.equality)
            if isColumn, predicate.kind == .equality, case .constants(let values) = predicate.value,
               values.count == 1, let literal = Self.literal(values[0]) {
                appendCondition(RowCondition(column: key.column, test: .equals(literal)), to: &access)
            }
        case .range:
            append(key, to: &access.ranges)
        case .prefixMatch:
            // `LIKE $1` may hold any pattern: a generic plan cannot turn it into an index range.
            guard case .constants = predicate.value else { return }
            append(key, to: &access.prefixes)
        case .isNull where isColumn:
            appendCondition(RowCondition(column: key.column, test: .isNull), to: &access)
        case .isNotNull where isColumn:
            appendCondition(RowCondition(column: key.column, test: .isNotNull), to: &access)
        case .isTrue where isColumn:
            appendCondition(RowCondition(column: key.column, test: .isTrue), to: &access)
        case .isFalse where isColumn:
            appendCondition(RowCondition(column: key.column, test: .isFalse), to: &access)
        default:
            return
        }
        if isColumn, case .parameter(let n) = predicate.value, typedParameters[n] == nil,
           let type = table.column(named: key.column)?.type {
            typedParameters[n] = predicate.op == "= ANY" ? type + "[]" : type
        }
        bySlot[slot] = access
    }

    private mutating func addSort(_ scope: QueryScope, index: Int) {
        guard !scope.orderBy.isEmpty else { return }
        var slot: Slot?
        var keys: [SortAccess] = []
        for sortKey in scope.orderBy {
            guard let s = resolve(sortKey.operand.column, scope: index), s.scope == index, slot == nil || slot == s else {
                return
            }
            slot = s
            keys.append(SortAccess(key: key(sortKey.operand), descending: sortKey.descending))
        }
        guard let slot, var access = access(slot) else { return }
        access.sort = keys
        bySlot[slot] = access
    }

    private func append(_ key: AccessKey, to keys: inout [AccessKey]) {
        if !keys.contains(key) { keys.append(key) }
    }

    private func appendCondition(_ condition: RowCondition, to access: inout TableAccess) {
        if !access.conditions.contains(condition) { access.conditions.append(condition) }
    }

    /// A constant as SQL, for the WHERE of a partial index.
    private static func literal(_ constant: Constant) -> String? {
        switch constant {
        case .string(let s): SQLQuoting.literal(s)
        case .integer(let i): String(i)
        case .number(let n): n
        case .boolean(let b): b ? "true" : "false"
        case .null: nil
        }
    }
}
