extension QueryParser {
    /// What one statement is for a pre-release review: a query EXPLAIN can plan (and whether it
    /// only reads), DDL with the table it locks and what it does, a `lock_timeout` setting, or
    /// something else.
    ///
    /// - Throws: ``ParseError`` with the parser's message and cursor position when PostgreSQL's
    ///   grammar rejects the text, or when it holds no statement or more than one.
    public static func classify(_ sql: String) throws(ParseError) -> StatementClass {
        let statements = try Self.statements(in: PGQuery.parse(sql))
        guard statements.count == 1, let statement = statements.first else {
            throw ParseError(message: statements.isEmpty
                ? "query text holds no statement"
                : "query text holds \(statements.count) statements: give one at a time")
        }
        return StatementClassifier.classify(statement)
    }

    /// A type name as PostgreSQL prints it (`format_type()`: `character varying(100)`,
    /// `numeric(10,2)[]`) read the way the parser reads the same name in DDL; nil when the parser
    /// does not take it as a type.
    public static func typeReference(_ typeName: String) -> TypeReference? {
        guard !typeName.contains(";"), let statements = try? Self.statements(in: PGQuery.parse("SELECT NULL::" + typeName)),
              statements.count == 1,
              let target = statements[0].fields.nodes("targetList").first?.fields.node("val"),
              target.type == "TypeCast", let name = target.fields.object("typeName")
        else { return nil }
        return StatementClassifier.type(name)
    }
}

/// Reads a statement's parse tree into a ``StatementClass``.
enum StatementClassifier {
    static let queries: Set<String> = ["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]
    static let writes: Set<String> = ["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]

    static func classify(_ statement: ParseNode) -> StatementClass {
        let fields = statement.fields
        switch statement.type {
        case let type where queries.contains(type):
            return .query(readOnly: type == "SelectStmt" && isReadOnly(fields.values))
        case "VariableSetStmt" where fields.string("name")?.lowercased() == "lock_timeout":
            return .lockTimeout(enabled: lockTimeoutEnabled(fields))
        case "CreateStmt":
            return .schemaChange(SchemaChange(form: .createTable, table: fields.object("relation").flatMap(relation)))
        case "IndexStmt":
            return .schemaChange(SchemaChange(
                form: .createIndex(concurrently: fields.flag("concurrent")), table: fields.object("relation").flatMap(relation)))
        case "AlterTableStmt" where (fields.string("objtype") ?? "OBJECT_TABLE") == "OBJECT_TABLE":
            let actions = fields.nodes("cmds").map { AlterTableReader.action($0.fields) }
            return .schemaChange(SchemaChange(form: .alterTable(actions), table: fields.object("relation").flatMap(relation)))
        default:
            return locking(statement) ?? .other(statement.type)
        }
    }

    /// Other statements that lock a table, with the table they name first.
    private static func locking(_ statement: ParseNode) -> StatementClass? {
        let fields = statement.fields
        let concurrently = fields.flag("concurrent")
            || fields.nodes("params").contains { $0.fields.string("defname") == "concurrently" }
        let table: RelationReference?
        switch statement.type {
        case "RenameStmt", "CreateTrigStmt", "ClusterStmt", "ReindexStmt", "AlterTableStmt":
            table = fields.object("relation").flatMap(relation)
        case "TruncateStmt", "LockStmt":
            table = fields.nodes("relations").first.flatMap { relation($0.fields) }
        case "VacuumStmt" where fields.nodes("options").contains(where: { $0.fields.string("defname") == "full" }):
            table = fields.nodes("rels").first?.fields.object("relation").flatMap(relation)
        case "DropStmt" where ["OBJECT_TABLE", "OBJECT_INDEX"].contains(fields.string("removeType") ?? ""):
            let names = fields.nodes("objects").first?.fields.names("items") ?? []
            table = names.last.map { RelationReference(schema: names.count > 1 ? names[names.count - 2] : nil, name: $0) }
        default:
            return nil
        }
        return .schemaChange(SchemaChange(form: .locking(statement.type, concurrently: concurrently), table: table))
    }

    /// false for `SET lock_timeout = 0`, `TO DEFAULT` and `RESET lock_timeout`.
    private static func lockTimeoutEnabled(_ fields: ParseNode.Fields) -> Bool {
        guard fields.string("kind") == "VAR_SET_VALUE", let value = fields.nodes("args").first?.fields else { return false }
        if let text = value.object("sval")?.string("sval") {
            let digits = text.prefix { $0.isNumber || $0 == "." }
            return !(Double(digits) == 0 && !digits.isEmpty)
        }
        if let number = value.object("ival") { return (number.int("ival") ?? 0) != 0 }
        return true
    }

    /// A SELECT that writes nothing and locks no row: no locking clause, no `INTO`, no
    /// INSERT/UPDATE/DELETE/MERGE anywhere in it (a data-modifying WITH).
    static func isReadOnly(_ json: Any) -> Bool {
        if let object = json as? [String: Any] {
            for (key, value) in object {
                if writes.contains(key) || key == "intoClause" { return false }
                if key == "lockingClause", let list = value as? [Any], !list.isEmpty { return false }
                if !isReadOnly(value) { return false }
            }
        } else if let list = json as? [Any] {
            return list.allSatisfy(isReadOnly)
        }
        return true
    }

    static func relation(_ rangeVar: ParseNode.Fields) -> RelationReference? {
        rangeVar.string("relname").map { RelationReference(schema: rangeVar.string("schemaname"), name: $0) }
    }

    static func type(_ typeName: ParseNode.Fields) -> TypeReference? {
        let names = typeName.names("names")
        guard let name = names.last else { return nil }
        let modifiers = typeName.nodes("typmods").compactMap { node -> Int? in
            guard node.type == "A_Const" else { return nil }
            return node.fields.object("ival").map { $0.int("ival") ?? 0 }
        }
        return TypeReference(schema: names.count > 1 ? names[names.count - 2] : nil, name: name.lowercased(),
                             modifiers: modifiers, arrayDepth: typeName.nodes("arrayBounds").count)
    }
}
