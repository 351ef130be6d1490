/// One node of libpg_query's JSON parse tree, such as `{"A_Expr": {"kind": ..., "lexpr": ...}}`:
/// its type name and its fields.
struct ParseNode {
    /// The node type: `SelectStmt`, `A_Expr`, `ColumnRef`, ...
    let type: String
    let fields: Fields

    /// The node a JSON value holds, or nil when it is not a one-key object of fields (a missing
    /// field, or the `{}` libpg_query writes for a NULL entry in a list).
    init?(_ json: Any?) {
        guard let object = json as? [String: Any], object.count == 1, let (type, value) = object.first,
              let fields = Fields(value)
        else { return nil }
        self.type = type
        self.fields = fields
    }

    /// The text of a `String` node (an identifier part or an operator name).
    var stringValue: String? {
        type == "String" ? fields.string("sval") ?? "" : nil
    }

    /// The fields of a node, or of a struct-typed field that libpg_query writes without a type
    /// name (`alias`, `withClause`, the `larg` of a set operation). libpg_query leaves out fields
    /// that hold their default (false, 0, empty), so every accessor has a neutral answer for a
    /// missing field.
    struct Fields {
        /// The fields as JSONSerialization gives them.
        let values: [String: Any]

        /// The fields a JSON value holds, or nil when it is not an object.
        init?(_ json: Any?) {
            guard let values = json as? [String: Any] else { return nil }
            self.values = values
        }

        func string(_ key: String) -> String? { values[key] as? String }

        func int(_ key: String) -> Int? { values[key] as? Int }

        /// A boolean field; absent means false.
        func flag(_ key: String) -> Bool { values[key] as? Bool ?? false }

        /// A node-typed field.
        func node(_ key: String) -> ParseNode? { ParseNode(values[key]) }

        /// A list of nodes; absent means empty.
        func nodes(_ key: String) -> [ParseNode] {
            (values[key] as? [Any])?.compactMap { ParseNode($0) } ?? []
        }

        /// A struct-typed field.
        func object(_ key: String) -> Fields? { Fields(values[key]) }

        /// The texts of a list of `String` nodes (a qualified name: `["pg_catalog", "lower"]`).
        func names(_ key: String) -> [String] { nodes(key).compactMap(\.stringValue) }
    }
}
