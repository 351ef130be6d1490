import Connector
import Core
import Model

/// The current plans of the workload's statements, read when hypopg is missing: the planner
/// itself says which existing indexes serve each statement (on PostgreSQL 18, skip scans of
/// multicolumn indexes included), beside the advice estimated from statistics.
enum CurrentPlans {
    /// Statements explained at most, largest total time first (the workload's order).
    static let limit = 20
    static let explainable: Set<String> = ["SELECT", "WITH", "UPDATE", "DELETE"]

    static func read(connection: Connection, snapshot: Snapshot, workload: [WorkloadStatement], into advice: inout IndexAdvice) {
        let explainer = PlanExplainer(connection: connection, serverVersionNum: snapshot.server.versionNumber)
        var failures: [String] = []
        // Statements that read no table of the database (or are utilities) have no plan worth showing.
        let uninteresting = Set(advice.skippedStatements.filter { $0.kind != .other }.map(\.statement.text))
        let candidates = workload.filter { explainable.contains(firstWord($0.text)) && !uninteresting.contains($0.text) }
        let reader = ExplainableStatement.Reader(snapshot: snapshot)
        for statement in candidates.prefix(limit) {
            // Typed as the advisor types them (columns compared with, `date $1`, extract).
            let query = reader.read(statement.text)
            do {
                let plan = try explainer.explain(query.text, parameterTypes: query.parameterTypes)
                advice.currentPlans.append(CurrentPlan(
                    label: statement.label, queryId: statement.queryId, text: statement.text, cost: plan.totalCost,
                    indexesUsed: plan.indexesUsed))
            } catch let error as ConnectorError where error.kind != .connection {
                failures.append("\(statement.label): \(error.message)")
            } catch {
                break
            }
        }
        if let method = explainer.usedMethod { advice.explainMethod = method.rawValue }
        advice.explainCalls += explainer.explainCalls
        if let first = failures.first {
            advice.notes.append("\(failures.count) statements could not be planned as they stand (first: \(first)).")
        }
    }

    static func firstWord(_ text: String) -> String {
        String(text.drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter }).uppercased()
    }
}
