import ArgumentParser
import Connector
import Core
import Foundation
import Model

/// `pgadvisor doctor`: what pgadvisor can use on this server, and how to fix what is missing.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what pgadvisor can see on a server and what to do about each missing piece.",
        discussion: """
            Checks the server version, the role's privileges (pg_monitor or pg_read_all_stats for \
            audits), pg_stat_statements (loaded, created, version, visible entries), \
            track_io_timing, hypopg (verified index advice), pgstattuple (exact bloat) and the \
            visibility of planner statistics, then every other source that could not be read. \
            Each problem comes with the statement or package that fixes it.
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    func run() throws {
        let format = try output.resolve(command: "doctor", supported: [.text, .json])
        let db = try connection.connect()
        defer { db.close() }
        let snapshot = try Collector(connection: db).collect(generator: "pgadvisor \(PGAdvisor.version)")
        let checks = Doctor.checks(for: snapshot)
        try output.emit(try DoctorRenderer.render(checks, target: db.target, as: format))
    }
}
