import Model
import QueryParser

/// A query of a reviewed file as EXPLAIN takes it: `$n` parameters are typed from the columns
/// they are compared with, the way the index advisor costs statements of a `.sql` file, and
/// typed literals over a parameter (`interval $1`) are rewritten as casts.
public struct ExplainableStatement: Equatable, Sendable {
    public var text: String
    /// One entry per `$n`: its type when known, nil to let the server infer it; empty for
    /// literal SQL.
    public var parameterTypes: [String?]

    public init(_ sql: String, snapshot: Snapshot) {
        self.init(sql, analyzer: StatementAnalyzer(snapshot: snapshot))
    }

    /// Reads many statements against one snapshot, its catalog resolved once.
    public struct Reader {
        let analyzer: StatementAnalyzer

        public init(snapshot: Snapshot) { analyzer = StatementAnalyzer(snapshot: snapshot) }

        public func read(_ sql: String) -> ExplainableStatement { ExplainableStatement(sql, analyzer: analyzer) }
    }

    init(_ sql: String, analyzer: StatementAnalyzer) {
        switch analyzer.analyze(WorkloadStatement(label: "review", text: sql)) {
        case .analyzed(let analyzed):
            text = analyzed.text
            parameterTypes = analyzed.parameterTypes
        case .skipped:
            let shape = try? QueryParser.analyze(sql)
            text = shape?.text ?? sql
            parameterTypes = Array(repeating: nil, count: shape?.parameterCount ?? 0)
        }
    }
}
