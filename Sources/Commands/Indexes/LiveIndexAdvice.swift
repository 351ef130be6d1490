import Connector
import Core
import Model

/// Runs the index advisor on a live server: verified with hypopg when the extension is
/// installed in the database, else estimated from the snapshot's statistics with a note that
/// says why and how to get verified advice. A lost connection is an error, not a fallback:
/// advice built without the server would be printed as if complete.
enum LiveIndexAdvice {
    static func advise(
        connection: Connection, snapshot: Snapshot, workload: [WorkloadStatement], options: IndexAdvisorOptions
    ) throws -> IndexAdvice {
        let advisor = IndexAdvisor(options: options)
        let model: HypoPGCostModel
        do {
            model = HypoPGCostModel(session: try WhatIfSession(connection: connection))
        } catch let error as ConnectorError where error.kind == .connection {
            throw error
        } catch {
            var advice = advisor.advise(snapshot: snapshot, workload: workload)
            advice.notes.insert("hypopg could not be used: \(error)", at: 0)
            CurrentPlans.read(connection: connection, snapshot: snapshot, workload: workload, into: &advice)
            return advice
        }
        defer { model.finish() }
        var advice = advisor.advise(snapshot: snapshot, workload: workload, model: model)
        advice.explainMethod = model.explainMethod
        if let lost = model.lostConnection { throw lost }
        return advice
    }

    /// Verified advice for the audit's missing-index rule, or nil when hypopg cannot be used
    /// (the rule then estimates from the snapshot and says so).
    static func verified(
        connection: Connection, snapshot: Snapshot, options: IndexAdvisorOptions
    ) throws -> IndexAdvice? {
        let session: WhatIfSession
        do {
            session = try WhatIfSession(connection: connection)
        } catch let error as ConnectorError where error.kind == .connection {
            throw error
        } catch {
            return nil
        }
        let model = HypoPGCostModel(session: session)
        defer { model.finish() }
        let advice = IndexAdvisor(options: options).advise(
            snapshot: snapshot, workload: WorkloadStatement.fromSnapshot(snapshot), model: model)
        if let lost = model.lostConnection { throw lost }
        return advice
    }
}
