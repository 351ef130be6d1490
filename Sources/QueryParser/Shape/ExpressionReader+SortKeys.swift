extension ExpressionReader {
    /// The leading ORDER BY keys that are operands. An ordinal (`ORDER BY 2`) or an output name
    /// (`ORDER BY total` for `sum(x) AS total`) stands for that select-list entry, as in
    /// PostgreSQL. The first key that is no operand (an expression, `USING <`) ends the list:
    /// an index can still serve the keys before it.
    func sortKeys(_ sortClause: [ParseNode], selectList: [ParseNode]) -> [SortKey] {
        var keys: [SortKey] = []
        for sortBy in sortClause {
            let fields = sortBy.fields
            let direction = fields.string("sortby_dir")
            guard direction != "SORTBY_USING", let node = fields.node("node"),
                  let operand = keyOperand(node, selectList: selectList, matchingOutputNames: true)
            else { break }
            let nullsFirst: Bool? = switch fields.string("sortby_nulls") {
            case "SORTBY_NULLS_FIRST": true
            case "SORTBY_NULLS_LAST": false
            default: nil
            }
            keys.append(SortKey(operand: operand, descending: direction == "SORTBY_DESC", nullsFirst: nullsFirst))
        }
        return keys
    }

    /// The GROUP BY items that are operands, ordinals resolved against the select list. (A bare
    /// name in GROUP BY means an input column first, so output names are not matched.)
    func groupKeys(_ groupClause: [ParseNode], selectList: [ParseNode]) -> [Operand] {
        groupClause.compactMap { keyOperand($0, selectList: selectList, matchingOutputNames: false) }
    }

    private func keyOperand(_ node: ParseNode, selectList: [ParseNode], matchingOutputNames: Bool) -> Operand? {
        if node.type == "A_Const" {
            guard case .integer(let position) = constant(node), position >= 1, position <= selectList.count,
                  let entry = selectList[Int(position) - 1].fields.node("val")
            else { return nil }
            return operand(entry)
        }
        if matchingOutputNames, let column = column(node), column.qualifier == nil,
           let entry = selectList.first(where: { $0.fields.string("name") == column.name }) {
            return entry.fields.node("val").flatMap(operand)
        }
        return operand(node)
    }
}
