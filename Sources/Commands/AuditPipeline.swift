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

/// Facts that identify the server across runs.
enum ServerIdentity {
    /// The cluster's system identifier, nil when the role may not read `pg_control_system()`.
    static func systemIdentifier(_ db: Connection) -> String? {
        let sql = "-- pgadvisor: identity\nSELECT system_identifier::text AS id FROM pg_catalog.pg_control_system()"
        return try? db.query(sql).rows.first?["id"].optionalString()
    }
}
