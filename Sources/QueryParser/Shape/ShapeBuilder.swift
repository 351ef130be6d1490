/// Walks one statement's parse tree into a ``StatementShape``, one ``QueryScope`` per query level,
/// in the order ``QueryParser/analyze(_:)`` documents.
struct ShapeBuilder {
    private let reader: ExpressionReader
    private var scopes: [QueryScope] = []

    private init(reader: ExpressionReader) {
        self.reader = reader
    }

    /// The shape of a top-level statement, whose text and parameter count the caller knows.
    static func shape(
        of statement: ParseNode, text: String, parameterCount: Int, reader: ExpressionReader
    ) -> StatementShape {
        let fields = statement.fields
        let kind: StatementShape.Kind
        switch statement.type {
        case "SelectStmt": kind = .select
        case "InsertStmt": kind = .insert
        case "UpdateStmt": kind = .update
        case "DeleteStmt": kind = .delete
        default: return StatementShape(kind: .utility(statement.type), text: text, parameterCount: parameterCount)
        }
        var builder = ShapeBuilder(reader: reader)
        builder.addStatement(statement, ctes: [])
        return StatementShape(
            kind: kind, text: text, parameterCount: parameterCount, scopes: builder.scopes,
            target: fields.object("relation").flatMap(relation),
            updatedColumns: kind == .update ? fields.nodes("targetList").compactMap { $0.fields.string("name") } : []
        )
    }

    /// Adds the scopes of a SELECT, INSERT, UPDATE or DELETE: the statement itself or a WITH body.
    /// `ctes` are the CTE names visible where it stands.
    private mutating func addStatement(_ statement: ParseNode, ctes: Set<String>) {
        let fields = statement.fields
        switch statement.type {
        case "SelectStmt": addSelect(fields, parent: nil, ctes: ctes)
        case "InsertStmt": addInsert(fields, ctes: ctes)
        case "UpdateStmt": addModification(fields, sourcesKey: "fromClause", ctes: ctes)
        case "DeleteStmt": addModification(fields, sourcesKey: "usingClause", ctes: ctes)
        default: break
        }
    }

    /// A SELECT level and everything nested in it. `outerWith` is the WITH of an
    /// `INSERT ... SELECT`, which the SELECT sees as its own.
    private mutating func addSelect(
        _ select: ParseNode.Fields, parent: Int?, ctes: Set<String>, outerWith: ParseNode.Fields? = nil
    ) {
        let index = scopes.count
        scopes.append(QueryScope(parent: parent))
        var scope = QueryScope(parent: parent)
        var ctes = addCTEs(outerWith, visible: ctes)
        ctes = addCTEs(select.object("withClause"), visible: ctes)

        if let operation = select.string("op"), operation != "SETOP_NONE" {
            for branch in ["larg", "rarg"].compactMap(select.object) {
                addSelect(branch, parent: index, ctes: ctes)
            }
        } else {
            for key in ["valuesLists", "distinctClause", "targetList"] {
                addSublinks(in: select.values[key], parent: index, ctes: ctes)
            }
            addSources(select, sourcesKey: "fromClause", to: &scope, index: index, ctes: ctes)
            for key in ["groupClause", "havingClause", "windowClause"] {
                addSublinks(in: select.values[key], parent: index, ctes: ctes)
            }
        }
        for key in ["sortClause", "limitOffset", "limitCount"] {
            addSublinks(in: select.values[key], parent: index, ctes: ctes)
        }

        let selectList = select.nodes("targetList")
        scope.orderBy = reader.sortKeys(select.nodes("sortClause"), selectList: selectList)
        scope.groupBy = reader.groupKeys(select.nodes("groupClause"), selectList: selectList)
        scope.hasLimit = select.node("limitCount").map { !($0.type == "A_Const" && $0.fields.flag("isnull")) } ?? false
        scopes[index] = scope
    }

    /// An INSERT has a scope only for its SELECT; its WITH bodies and the sublinks of a VALUES
    /// list stand alone.
    private mutating func addInsert(_ insert: ParseNode.Fields, ctes: Set<String>) {
        let with = insert.object("withClause")
        let source = insert.node("selectStmt")?.fields
        if let select = source, select.values["valuesLists"] == nil {
            addSelect(select, parent: nil, ctes: ctes, outerWith: with)
        } else {
            let ctes = addCTEs(with, visible: ctes)
            addSublinks(in: source?.values["valuesLists"], parent: nil, ctes: ctes)
        }
    }

    /// UPDATE or DELETE: one scope with the target relation, the FROM / USING list and WHERE.
    private mutating func addModification(_ statement: ParseNode.Fields, sourcesKey: String, ctes: Set<String>) {
        let index = scopes.count
        scopes.append(QueryScope())
        var scope = QueryScope()
        let ctes = addCTEs(statement.object("withClause"), visible: ctes)
        if let target = statement.object("relation").flatMap(Self.relation) {
            scope.relations.append(target)
        }
        addSublinks(in: statement.values["targetList"], parent: index, ctes: ctes)
        addSources(statement, sourcesKey: sourcesKey, to: &scope, index: index, ctes: ctes)
        scopes[index] = scope
    }

    /// The WITH bodies, as scopes without a parent; returns the CTE names visible after the WITH.
    /// A body sees the CTEs before it, or all of them in a WITH RECURSIVE.
    private mutating func addCTEs(_ with: ParseNode.Fields?, visible: Set<String>) -> Set<String> {
        guard let with else { return visible }
        let ctes = with.nodes("ctes").map(\.fields)
        let names = ctes.compactMap { $0.string("ctename") }
        var visible = visible
        if with.flag("recursive") { visible.formUnion(names) }
        for cte in ctes {
            if let query = cte.node("ctequery") { addStatement(query, ctes: visible) }
            if let name = cte.string("ctename") { visible.insert(name) }
        }
        return visible
    }

    /// The FROM (or USING) list and WHERE of a level: relations, derived names, predicates of
    /// JOIN conditions then of WHERE, and the levels nested in them.
    private mutating func addSources(
        _ level: ParseNode.Fields, sourcesKey: String, to scope: inout QueryScope, index: Int, ctes: Set<String>
    ) {
        for item in level.nodes(sourcesKey) {
            addFromItem(item, to: &scope, index: index, ctes: ctes)
        }
        if let condition = level.node("whereClause") {
            scope.predicates += reader.predicates(in: condition)
            addSublinks(in: level.values["whereClause"], parent: index, ctes: ctes)
        }
    }

    /// One FROM item, joins recursively.
    private mutating func addFromItem(_ item: ParseNode, to scope: inout QueryScope, index: Int, ctes: Set<String>) {
        let fields = item.fields
        switch item.type {
        case "RangeVar":
            guard let relation = Self.relation(fields) else { return }
            if relation.schema == nil, fields.string("catalogname") == nil, ctes.contains(relation.name) {
                scope.derivedNames.append(relation.exposedName)
            } else {
                scope.relations.append(relation)
            }
        case "RangeTableSample":
            if let relation = fields.node("relation") { addFromItem(relation, to: &scope, index: index, ctes: ctes) }
        case "RangeSubselect":
            if let subquery = fields.node("subquery"), subquery.type == "SelectStmt" {
                addSelect(subquery.fields, parent: index, ctes: ctes)
            }
            if let name = Self.exposedName(of: item) { scope.derivedNames.append(name) }
        case "JoinExpr":
            let left = fields.node("larg"), right = fields.node("rarg")
            for side in [left, right].compactMap({ $0 }) {
                addFromItem(side, to: &scope, index: index, ctes: ctes)
            }
            // A NATURAL join names no columns: it has no predicates.
            scope.predicates += reader.usingPredicates(
                columns: fields.names("usingClause"),
                left: left.flatMap(Self.exposedName), right: right.flatMap(Self.exposedName)
            )
            if let condition = fields.node("quals") {
                scope.predicates += reader.predicates(in: condition)
                addSublinks(in: fields.values["quals"], parent: index, ctes: ctes)
            }
            if let alias = fields.object("alias")?.string("aliasname") { scope.derivedNames.append(alias) }
        default:
            // Functions (RangeFunction), XMLTABLE: no relation, only a name.
            addSublinks(in: fields.values, parent: index, ctes: ctes)
            if let name = Self.exposedName(of: item) { scope.derivedNames.append(name) }
        }
    }

    /// Adds a scope for each sublink (`IN (SELECT ...)`, `EXISTS (...)`, `(SELECT ...)`) in an
    /// expression, in text order, not looking into the sublinks' own subqueries.
    private mutating func addSublinks(in json: Any?, parent: Int?, ctes: Set<String>) {
        var sublinks: [ParseNode.Fields] = []
        Self.collectSublinks(in: json, into: &sublinks)
        for sublink in sublinks.sorted(by: { ($0.int("location") ?? 0) < ($1.int("location") ?? 0) }) {
            if let select = sublink.node("subselect"), select.type == "SelectStmt" {
                addSelect(select.fields, parent: parent, ctes: ctes)
            }
        }
    }

    private static func collectSublinks(in json: Any?, into sublinks: inout [ParseNode.Fields]) {
        if let object = json as? [String: Any] {
            for (key, value) in object {
                // libpg_query repeats the source of `SET (a, b) = (...)` under each column.
                if key == "MultiAssignRef", ParseNode.Fields(value)?.int("colno") != 1 { continue }
                if key == "SubLink", let sublink = ParseNode.Fields(value) {
                    sublinks.append(sublink)
                    collectSublinks(in: sublink.values["testexpr"], into: &sublinks)
                } else {
                    collectSublinks(in: value, into: &sublinks)
                }
            }
        } else if let list = json as? [Any] {
            for item in list { collectSublinks(in: item, into: &sublinks) }
        }
    }

    /// A relation named in a RangeVar.
    private static func relation(_ rangeVar: ParseNode.Fields) -> RelationReference? {
        guard let name = rangeVar.string("relname") else { return nil }
        return RelationReference(
            schema: rangeVar.string("schemaname"), name: name,
            alias: rangeVar.object("alias")?.string("aliasname")
        )
    }

    /// The name columns of a FROM item are qualified with: its alias; a table's or a function's
    /// own name; for a join without an alias, that of its right-hand (last) item. Nil when there
    /// is none (`ROWS FROM (f(), g())` without an alias).
    private static func exposedName(of item: ParseNode) -> String? {
        let fields = item.fields
        if let alias = fields.object("alias")?.string("aliasname") { return alias }
        switch item.type {
        case "RangeVar":
            return fields.string("relname")
        case "RangeTableSample":
            return fields.node("relation").flatMap(exposedName)
        case "JoinExpr":
            return fields.node("rarg").flatMap(exposedName)
        case "RangeFunction":
            let functions = fields.nodes("functions")
            guard functions.count == 1, let call = functions[0].fields.nodes("items").first else { return nil }
            return call.fields.names("funcname").last
        default:
            return nil
        }
    }
}
