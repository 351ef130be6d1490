import Connector
import Core
import Foundation
import Model

/// Collect (or read) a snapshot and run the audit on it: what `audit`, `plan` and `apply`
/// share. A live run also costs the index advice with hypopg on the same read-only session.
struct AuditPipeline {
    var connection: ConnectionOptionGroup
    var from: String?
    var exact = false
    var configuration: AuditConfiguration
    var host: HostFacts
    var suppressions: [Suppression] = []

    struct Output {
        var snapshot: Snapshot
        var result: AuditResult
        /// `pg_control_system().system_identifier`, when live and readable.
        var systemIdentifier: String?
    }

    func run() throws -> Output {
        // Machine facts are checked before connecting: a typo must not cost a collection.
        try host.checkComplete()
        let job = AuditJob(
            options: try connection.connectionOptions(), exact: exact, configuration: configuration, host: host,
            suppressions: suppressions, today: .today())
        if let from {
            return job.audit(try SnapshotFile.read(from), indexAdvice: nil, systemIdentifier: nil)
        }
        return try job.run()
    }
}

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

extension CalendarDay {
    /// Today in UTC, the day suppressions are judged by.
    static func today(_ now: Date = Date()) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)!
    }
}

/// Facts that identify the server across runs.
enum ServerIdentity {
    /// The cluster's system identifier, nil when the role may not read `pg_control_system()`.
    static func systemIdentifier(_ db: Connection) -> String? {
        let sql = "-- pgadvisor: identity\nSELECT system_identifier::text AS id FROM pg_catalog.pg_control_system()"
        return try? db.query(sql).rows.first?["id"].optionalString()
    }
}
