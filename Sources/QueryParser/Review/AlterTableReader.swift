/// Reads the subcommands of `ALTER TABLE` (`AlterTableCmd` nodes).
enum AlterTableReader {
    static func action(_ command: ParseNode.Fields) -> AlterTableAction {
        let subtype = command.string("subtype") ?? "unknown"
        let definition = command.node("def")
        switch subtype {
        case "AT_AddColumn":
            guard let column = definition?.fields, let added = addedColumn(column) else { return .other(subtype) }
            return .addColumn(added)
        case "AT_AlterColumnType":
            guard let name = command.string("name"), let column = definition?.fields,
                  let type = column.object("typeName").flatMap(StatementClassifier.type)
            else { return .other(subtype) }
            return .alterColumnType(column: name, type: type, using: column.node("raw_default") != nil)
        case "AT_AddConstraint":
            guard let constraint = definition, constraint.type == "Constraint" else { return .other(subtype) }
            return .addConstraint(addedConstraint(constraint.fields))
        case "AT_SetNotNull":
            return command.string("name").map { .setNotNull(column: $0) } ?? .other(subtype)
        case "AT_ValidateConstraint":
            return command.string("name").map { .validateConstraint(name: $0) } ?? .other(subtype)
        default:
            return .other(subtype)
        }
    }

    /// A `ColumnDef` of ADD COLUMN with its inline constraints.
    private static func addedColumn(_ column: ParseNode.Fields) -> AddedColumn? {
        guard let name = column.string("colname"),
              let type = column.object("typeName").flatMap(StatementClassifier.type) else { return nil }
        var added = AddedColumn(name: name, type: type)
        for constraint in column.nodes("constraints") where constraint.type == "Constraint" {
            let fields = constraint.fields
            switch fields.string("contype") {
            case "CONSTR_DEFAULT":
                var calls: [String] = []
                if let expression = fields.values["raw_expr"] { collectCalls(expression, into: &calls) }
                added.defaultCalls = calls
            case "CONSTR_GENERATED":
                added.generatedStored = true
            case "CONSTR_IDENTITY":
                added.identity = true
            case "CONSTR_FOREIGN":
                added.references = fields.object("pktable").flatMap(StatementClassifier.relation)
            default:
                break
            }
        }
        return added
    }

    private static func addedConstraint(_ fields: ParseNode.Fields) -> AddedConstraint {
        let kinds: [String: AddedConstraint.Kind] = [
            "CONSTR_CHECK": .check, "CONSTR_FOREIGN": .foreignKey, "CONSTR_UNIQUE": .unique,
            "CONSTR_PRIMARY": .primaryKey, "CONSTR_EXCLUSION": .exclusion,
        ]
        var notNullColumn: String?
        if let test = fields.node("raw_expr"), test.type == "NullTest",
           test.fields.string("nulltesttype") == "IS_NOT_NULL",
           let argument = test.fields.node("arg"), argument.type == "ColumnRef" {
            let names = argument.fields.names("fields")
            if names.count == 1 { notNullColumn = names[0] }
        }
        return AddedConstraint(
            kind: kinds[fields.string("contype") ?? ""] ?? .other, name: fields.string("conname"),
            notValid: fields.flag("skip_validation"), usingIndex: fields.string("indexname") != nil,
            referencedTable: fields.object("pktable").flatMap(StatementClassifier.relation), notNullColumn: notNullColumn)
    }

    /// The names of the functions an expression calls (last name part, lower case), in order.
    private static func collectCalls(_ json: Any, into calls: inout [String]) {
        if let object = json as? [String: Any] {
            for key in object.keys.sorted() {
                guard let value = object[key] else { continue }
                if key == "FuncCall", let call = ParseNode.Fields(value), let name = call.names("funcname").last {
                    calls.append(name.lowercased())
                }
                collectCalls(value, into: &calls)
            }
        } else if let list = json as? [Any] {
            for item in list { collectCalls(item, into: &calls) }
        }
    }
}
