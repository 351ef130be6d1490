extension ExpressionReader {
    /// The predicates of a WHERE or JOIN ... ON condition that an index could serve: its AND-ed
    /// parts, each normalised so the operand is on the left. An OR gives the predicates every
    /// one of its arms has, as the planner factors them out (`(a = b AND c = 1) OR (a = b AND
    /// c = 2)` requires `a = b`); NOT (other than `NOT col`), EXISTS and conditions the grammar
    /// does not let an index serve (`<>`, `NOT IN`, `ILIKE`, `NOT BETWEEN`, ...) give nothing.
    func predicates(in condition: ParseNode) -> [Predicate] {
        let fields = condition.fields
        switch condition.type {
        case "BoolExpr":
            let arguments = fields.nodes("args")
            switch fields.string("boolop") {
            case "AND_EXPR":
                return arguments.flatMap(predicates(in:))
            case "OR_EXPR":
                let others = arguments.dropFirst().map { Set(predicates(in: $0)) }
                return arguments.first.map(predicates(in:))?.filter { common in others.allSatisfy { $0.contains(common) } } ?? []
            case "NOT_EXPR":
                guard arguments.count == 1, let column = column(arguments[0]) else { return [] }
                return [Predicate(operand: .column(column), kind: .isFalse, op: "NOT")]
            default:
                return []
            }
        case "ColumnRef":
            return column(condition).map { [Predicate(operand: .column($0), kind: .isTrue, op: "")] } ?? []
        case "A_Expr":
            return expressionPredicate(fields).map { [$0] } ?? []
        case "NullTest":
            guard let operand = fields.node("arg").flatMap(operand) else { return [] }
            switch fields.string("nulltesttype") {
            case "IS_NULL": return [Predicate(operand: operand, kind: .isNull, op: "IS NULL")]
            case "IS_NOT_NULL": return [Predicate(operand: operand, kind: .isNotNull, op: "IS NOT NULL")]
            default: return []
            }
        case "BooleanTest":
            guard let operand = fields.node("arg").flatMap(operand) else { return [] }
            switch fields.string("booltesttype") {
            case "IS_TRUE": return [Predicate(operand: operand, kind: .isTrue, op: "IS TRUE")]
            case "IS_FALSE": return [Predicate(operand: operand, kind: .isFalse, op: "IS FALSE")]
            default: return []
            }
        case "SubLink":
            return sublinkPredicate(fields).map { [$0] } ?? []
        default:
            return []
        }
    }

    /// The equality predicates of `JOIN ... USING (a, b)`: `left.a = right.a`, ... with the
    /// qualifiers given (nil when a side has no name).
    func usingPredicates(columns: [String], left: String?, right: String?) -> [Predicate] {
        columns.map { name in
            Predicate(
                operand: .column(ColumnReference(qualifier: left, name: name)), kind: .equality,
                value: .column(ColumnReference(qualifier: right, name: name)), op: "="
            )
        }
    }

    /// An operator expression: comparison, IN, `= ANY`, BETWEEN or LIKE.
    private func expressionPredicate(_ expression: ParseNode.Fields) -> Predicate? {
        let names = expression.nodes("name")
        guard names.count == 1, let op = names[0].stringValue, let left = expression.node("lexpr"),
              let right = expression.node("rexpr")
        else { return nil }
        switch (expression.string("kind"), op) {
        case ("AEXPR_OP", "="):
            return comparison(left, op, right, kind: .equality)
        case ("AEXPR_OP", "<"), ("AEXPR_OP", "<="), ("AEXPR_OP", ">"), ("AEXPR_OP", ">="):
            return comparison(left, op, right, kind: .range)
        case ("AEXPR_IN", "="):
            guard let operand = operand(left) else { return nil }
            return Predicate(operand: operand, kind: .inList, value: listValue(right.fields.nodes("items")), op: "IN")
        case ("AEXPR_OP_ANY", "="):
            guard let operand = operand(left) else { return nil }
            let array = uncast(right)
            let elements = array.type == "A_ArrayExpr" ? listValue(array.fields.nodes("elements")) : value(right)
            return Predicate(operand: operand, kind: .inList, value: elements, op: "= ANY")
        case ("AEXPR_BETWEEN", _):
            guard let operand = operand(left) else { return nil }
            let bounds = right.fields.nodes("items")
            return Predicate(operand: operand, kind: .range, value: listValue(bounds), op: "BETWEEN")
        case ("AEXPR_LIKE", "~~"):
            guard let operand = operand(left), let pattern = prefixPattern(right) else { return nil }
            return Predicate(operand: operand, kind: .prefixMatch, value: pattern, op: "LIKE")
        default:
            return nil
        }
    }

    /// `operand op value`, or `value op operand` turned around (`$1 < created_at` reads as
    /// `created_at > $1`). With columns on both sides the left one is the operand.
    private func comparison(_ left: ParseNode, _ op: String, _ right: ParseNode, kind: Predicate.Kind) -> Predicate? {
        if let operand = operand(left) {
            return Predicate(operand: operand, kind: kind, value: value(right), op: op)
        }
        guard let operand = operand(right) else { return nil }
        let mirrored = ["<": ">", "<=": ">=", ">": "<", ">=": "<="][op] ?? op
        return Predicate(operand: operand, kind: kind, value: value(left), op: mirrored)
    }

    /// The value of `LIKE pattern` when an index can serve it: a parameter, or a constant that is
    /// a non-empty literal prefix followed by a single trailing `%` (`'abc%'`).
    private func prefixPattern(_ node: ParseNode) -> PredicateValue? {
        if let number = parameter(node) { return .parameter(number) }
        guard case .string(let pattern) = constant(node), pattern.hasSuffix("%") else { return nil }
        let prefix = pattern.dropLast()
        guard !prefix.isEmpty, !prefix.contains(where: { $0 == "%" || $0 == "_" }) else { return nil }
        return .constants([.string(pattern)])
    }

    /// `col IN (SELECT ...)` and `col = ANY (SELECT ...)`; the subquery is a scope of its own.
    private func sublinkPredicate(_ sublink: ParseNode.Fields) -> Predicate? {
        guard sublink.string("subLinkType") == "ANY_SUBLINK",
              let operand = sublink.node("testexpr").flatMap(operand)
        else { return nil }
        switch sublink.names("operName") {
        case []: return Predicate(operand: operand, kind: .inList, value: .other, op: "IN")
        case ["="]: return Predicate(operand: operand, kind: .inList, value: .other, op: "= ANY")
        default: return nil
        }
    }
}
