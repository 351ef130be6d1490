import Model
import QueryParser

/// One statement the index advisor serves: from `pg_stat_statements` (with its calls and
/// times) or from a `.sql` file of a pre-release review (no timings).
public struct WorkloadStatement: Equatable, Sendable {
    /// How reports name it: `query 4211` or `release.sql:12`.
    public var label: String
    public var queryId: Int64?
    public var text: String
    /// nil for statements from a file.
    public var calls: Int64?
    public var meanMs: Double?

    public init(label: String, queryId: Int64? = nil, text: String, calls: Int64? = nil, meanMs: Double? = nil) {
        self.label = label
        self.queryId = queryId
        self.text = text
        self.calls = calls
        self.meanMs = meanMs
    }

    /// Execution time since the statistics reset (calls × mean), nil without timings.
    public var totalMs: Double? {
        guard let calls, let meanMs else { return nil }
        return Double(calls) * meanMs
    }

    /// The top-level `pg_stat_statements` entries whose text the role may read, without the
    /// ones pgadvisor itself causes.
    public static func fromSnapshot(_ snapshot: Snapshot) -> [WorkloadStatement] {
        snapshot.statements.compactMap(WorkloadStatement.init(workloadOf:))
    }

    /// The workload's statement an entry of pg_stat_statements is; nil for a nested one, one
    /// never called, pgadvisor's own, or one whose text is hidden.
    init?(workloadOf s: StatementStats) {
        guard s.toplevel != false, s.calls > 0, !s.isCausedByPgadvisor, let text = s.query else { return nil }
        self.init(label: s.queryId.map { "query \($0)" } ?? "query", queryId: s.queryId, text: text, calls: s.calls,
                  meanMs: s.meanExecTime)
    }

    /// The statements of a SQL text such as a `.sql` file, named `name:line` (`name:line#2` for
    /// the second statement on a line), without timings. Throws the scanner's error for text it
    /// cannot split (an unterminated string or comment); a statement the parser rejects is kept,
    /// and the advisor skips it with the parser's message.
    public static func fromSQLText(_ text: String, name: String) throws -> [WorkloadStatement] {
        var onLine: [Int: Int] = [:]
        return try QueryParser.split(text).map { statement in
            onLine[statement.line, default: 0] += 1
            let n = onLine[statement.line]!
            let label = "\(name):\(statement.line)" + (n > 1 ? "#\(n)" : "")
            return WorkloadStatement(label: label, text: statement.text)
        }
    }
}
