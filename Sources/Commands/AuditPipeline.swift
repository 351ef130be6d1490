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
    var host: HostOptionGroup

    struct Output {
        var snapshot: Snapshot
        var result: AuditResult
        /// `pg_control_system().system_identifier`, when live and readable.
        var systemIdentifier: String?
    }

    func run() throws -> Output {
        // Machine flags are checked before connecting: a typo must not cost a collection.
        let ram = try host.ramBytes()
        let cpus = try host.validatedCPUs()
        var auditor = Auditor(configuration: configuration)
        let snapshot: Snapshot
        var systemIdentifier: String?
        if let from {
            snapshot = try SnapshotFile.read(from)
        } else {
            let db = try connection.connect()
            defer { db.close() }
            snapshot = try Collector(connection: db, options: CollectorOptions(exactBloat: exact))
                .collect(generator: "pgadvisor \(PGAdvisor.version)")
            if !configuration.disabledRules.contains(MissingIndexRule.description.id),
               snapshot.source("pg_stat_statements")?.isUsable == true {
                auditor.indexAdvice = try LiveIndexAdvice.verified(
                    connection: db, snapshot: snapshot, options: MissingIndexRule.options(auditor.parameters(of: MissingIndexRule.self)))
            }
            systemIdentifier = ServerIdentity.systemIdentifier(db)
        }
        auditor.host = Self.hostInputs(host, ram: ram, cpus: cpus, for: snapshot)
        return Output(snapshot: snapshot, result: auditor.run(snapshot), systemIdentifier: systemIdentifier)
    }

    /// The machine facts given on the command line, completed from the snapshot (version,
    /// data size); nil without --ram.
    static func hostInputs(_ host: HostOptionGroup, ram: Int64?, cpus: Int?, for snapshot: Snapshot) -> TuningInputs? {
        guard let ram else { return nil }
        let dataSize = snapshot.database?.sizeBytes.map { DataSize.classify(dataBytes: $0, ramBytes: ram) } ?? .midRAM
        return TuningInputs(
            ramBytes: ram, cpus: cpus, storage: host.storage ?? .ssd, workload: host.workload ?? .web,
            majorVersion: min(18, max(10, snapshot.server.majorVersion)), dataSize: dataSize)
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
