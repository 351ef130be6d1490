/// Reads expressions of a parse tree as the operands, values and constants of a statement shape.
struct ExpressionReader {
    /// The parsed text as UTF-8: node locations are byte offsets into it.
    let source: [UInt8]

    /// A column as written, or nil for anything else (`t.*` included). Only the last qualifier is
    /// kept: `shop.orders.id` → `orders.id`.
    func column(_ node: ParseNode) -> ColumnReference? {
        guard node.type == "ColumnRef" else { return nil }
        let parts = node.fields.nodes("fields")
        guard let name = parts.last?.stringValue else { return nil }
        let qualifier = parts.count >= 2 ? parts[parts.count - 2].stringValue : nil
        return ColumnReference(qualifier: qualifier, name: name)
    }

    /// A column, or a plain call of a function on one column (`lower(email)`,
    /// `pg_catalog.upper(name)`). Casts of a column (`created_at::date`), calls with OVER,
    /// DISTINCT, ORDER BY, FILTER or VARIADIC, and calls with other arguments are not operands.
    /// (A plain aggregate such as `sum(total)` looks like any function until the catalog is read.)
    func operand(_ node: ParseNode) -> Operand? {
        if let column = column(node) { return .column(column) }
        guard node.type == "FuncCall" else { return nil }
        let call = node.fields
        let decorations = ["over", "agg_distinct", "agg_order", "agg_filter", "func_variadic"]
        guard decorations.allSatisfy({ call.values[$0] == nil }) else { return nil }
        let arguments = call.nodes("args")
        guard arguments.count == 1, let argument = column(arguments[0]) else { return nil }
        let name = call.names("funcname")
        switch name.count {
        case 1: return .function(schema: nil, name: name[0], argument: argument)
        case 2: return .function(schema: name[0], name: name[1], argument: argument)
        default: return nil
        }
    }

    /// The other side of a predicate: a parameter or constant (also under casts: `$1::int`,
    /// `'2024-01-01'::date`), another column, or `.other` for any other expression.
    func value(_ node: ParseNode) -> PredicateValue {
        if let number = parameter(node) { return .parameter(number) }
        if let constant = constant(node) { return .constants([constant]) }
        if let column = column(node) { return .column(column) }
        return .other
    }

    /// The value of a list (an IN list, BETWEEN bounds, an `ARRAY[...]`): all constants when every
    /// item is one, else the first parameter, else `.other`.
    func listValue(_ items: [ParseNode]) -> PredicateValue {
        let constants = items.compactMap(constant)
        if !items.isEmpty, constants.count == items.count { return .constants(constants) }
        if let number = items.lazy.compactMap(parameter).first { return .parameter(number) }
        return .other
    }

    /// The number of a `$n` parameter, also under casts.
    func parameter(_ node: ParseNode) -> Int? {
        let node = uncast(node)
        return node.type == "ParamRef" ? node.fields.int("number") : nil
    }

    /// A literal, also under casts; nil for anything else, bit strings included.
    func constant(_ node: ParseNode) -> Constant? {
        let node = uncast(node)
        guard node.type == "A_Const" else { return nil }
        let literal = node.fields
        if literal.flag("isnull") { return .null }
        if let integer = literal.object("ival") {
            // libpg_query 15-4.0.0 writes 0 and negative integers alike as `"ival":{}`.
            if let value = integer.int("ival") { return .integer(Int64(value)) }
            return integerLiteral(at: literal.int("location") ?? 0).map(Constant.integer)
        }
        if let number = literal.object("fval") { return .number(number.string("fval") ?? "0") }
        if let string = literal.object("sval") { return .string(string.string("sval") ?? "") }
        if let boolean = literal.object("boolval") { return .boolean(boolean.flag("boolval")) }
        return nil
    }

    /// The node under any casts.
    func uncast(_ node: ParseNode) -> ParseNode {
        var node = node
        while node.type == "TypeCast", let argument = node.fields.node("arg") { node = argument }
        return node
    }

    /// The integer written at a byte offset of the text: the grammar folds signs into the
    /// literal, so `-5`, `- 5` and `-(5)` all start at their first minus sign.
    private func integerLiteral(at location: Int) -> Int64? {
        guard location >= 0 else { return nil }
        let prefix = source.dropFirst(location).prefix {
            $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "(") || $0.isASCIIWhitespace
        }
        let negative = prefix.filter { $0 == UInt8(ascii: "-") }.count % 2 == 1
        let digits = source[prefix.endIndex...].prefix(while: \.isASCIIDigit)
        guard let magnitude = Int64(String(decoding: digits, as: UTF8.self)) else { return nil }
        return negative ? -magnitude : magnitude
    }
}
