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
        switch StatementAnalyzer(snapshot: snapshot).analyze(WorkloadStatement(label: "review", text: sql)) {
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
