/// The result of parsing SQL text that may hold several statements.
public struct ParsedQuery: Equatable, Sendable {
    /// libpg_query's JSON parse tree: `{"version":...,"stmts":[{"stmt":{"SelectStmt":{...}}}, ...]}`.
    public let tree: String
    /// The node name of each top-level statement, in order (`SelectStmt`, `InsertStmt`, ...).
    public let statementKinds: [String]

    /// The number of top-level statements; 0 for text that is empty or only comments.
    public var statementCount: Int { statementKinds.count }

    init(tree: String, statementKinds: [String]) {
        self.tree = tree
        self.statementKinds = statementKinds
    }
}
