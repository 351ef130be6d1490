import Connector
import Core
import Foundation
import Model

/// One live audit with everything it needs held as values, so a fleet can run one on each of
/// its threads (each with a connection of its own).
struct AuditJob: Sendable {
    var options: ConnectionOptions
    var exact: Bool
    var configuration: AuditConfiguration
    var host: HostFacts
    var suppressions: [Suppression]
    var today: CalendarDay

    /// Connects, collects, costs the index advice when it can, and audits.
    func run() throws -> AuditPipeline.Output {
        let db = try Connection.open(options)
        defer { db.close() }
        let snapshot = try Collector(connection: db, options: CollectorOptions(exactBloat: exact))
            .collect(generator: "pgadvisor \(PGAdvisor.version)")
        var advice: IndexAdvice?
        if !configuration.disabledRules.contains(MissingIndexRule.description.id),
           snapshot.source("pg_stat_statements")?.isUsable == true {
            let parameters = Auditor(configuration: configuration).parameters(of: MissingIndexRule.self)
            advice = LiveIndexAdvice.verified(connection: db, snapshot: snapshot, options: MissingIndexRule.options(parameters))
        }
        return audit(snapshot, indexAdvice: advice, systemIdentifier: ServerIdentity.systemIdentifier(db))
    }

    /// The audit of a snapshot, with the configuration's suppressions applied.
    func audit(_ snapshot: Snapshot, indexAdvice: IndexAdvice?, systemIdentifier: String?) -> AuditPipeline.Output {
        var auditor = Auditor(configuration: configuration)
        auditor.indexAdvice = indexAdvice
        auditor.host = host.tuningInputs(for: snapshot)
        let result = auditor.run(snapshot).applying(suppressions, today: today)
        return AuditPipeline.Output(snapshot: snapshot, result: result, systemIdentifier: systemIdentifier)
    }
}
