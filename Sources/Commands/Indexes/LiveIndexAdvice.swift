import Connector
import Core
import Model

/// Runs the index advisor on a live server: verified with hypopg when the extension is
/// installed in the database, else estimated from the snapshot's statistics with a note that
/// says why and how to get verified advice.
enum LiveIndexAdvice {
    static func advise(
        connection: Connection, snapshot: Snapshot, workload: [WorkloadStatement], options: IndexAdvisorOptions
    ) -> IndexAdvice {
        let advisor = IndexAdvisor(options: options)
        let model: HypoPGCostModel
        do {
            model = HypoPGCostModel(session: try WhatIfSession(connection: connection))
        } catch {
            var advice = advisor.advise(snapshot: snapshot, workload: workload)
            advice.notes.insert("hypopg could not be used: \(error)", at: 0)
            CurrentPlans.read(connection: connection, snapshot: snapshot, workload: workload, into: &advice)
            return advice
        }
        defer { model.finish() }
        var advice = advisor.advise(snapshot: snapshot, workload: workload, model: model)
        advice.explainMethod = model.explainMethod
        return advice
    }

    /// Verified advice for the audit's missing-index rule, or nil when hypopg cannot be used
    /// (the rule then estimates from the snapshot and says so).
    static func verified(
        connection: Connection, snapshot: Snapshot, options: IndexAdvisorOptions
    ) -> IndexAdvice? {
        guard let session = try? WhatIfSession(connection: connection) else { return nil }
        let model = HypoPGCostModel(session: session)
        defer { model.finish() }
        return IndexAdvisor(options: options).advise(
            snapshot: snapshot, workload: WorkloadStatement.fromSnapshot(snapshot), model: model)
    }
}
