import Connector
import Foundation
import Model
import Planner

/// The one writing session pgadvisor opens, with the journal it writes and the terminal it
/// reports to. Reconnects once to clean up when the server dropped the session mid-step.
final class ApplySession {
    private(set) var db: Connection
    let connection: ConnectionOptionGroup
    /// Opened once the guards have passed, so a refused apply leaves no journal behind.
    var journal: Journal!
    let interactive: Bool

    init(connection: ConnectionOptionGroup) throws {
        self.connection = connection
        self.db = try ApplyGuards.connect(connection)
        self.interactive = isatty(STDERR_FILENO) == 1
    }

    func say(_ line: String) {
        SafeOutput.err(line + "\n")
    }

    func close() {
        ApplyGuards.releaseLock(db)
        db.close()
    }

    /// Drops `index` concurrently when it exists, is invalid and no build of it is running;
    /// journals the clean-up.
    func dropInvalid(_ index: QualifiedName, reason: String) throws {
        let row = try db.query("""
            -- pgadvisor: invalid index check
            SELECT NOT i.indisvalid AS invalid,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid) AS building
            FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1)
            """, [SQLQuoting.qualified(index)]).rows.first
        guard let row, try row["invalid"].bool(), try !row["building"].bool() else { return }
        try db.query(PlanSQL.set("statement_timeout", "0"))
        try db.query(PlanSQL.dropIndex(index))
        var entry = JournalEntry(.cleanup)
        entry.sql = [PlanSQL.dropIndex(index)]
        entry.message = "invalid index \(SQLQuoting.qualified(index)) \(reason)"
        try journal.write(entry)
        say("    dropped invalid index \(SQLQuoting.qualified(index)) (\(reason))")
    }

    /// After a failed concurrent build: drop the INVALID index it left, on a new session if the
    /// old one is gone. Failures here are reported, never thrown: the step has failed already.
    func cleanUpAfterFailure(_ index: QualifiedName) {
        if (try? db.query("-- pgadvisor: apply\nSELECT 1")) == nil {
            guard let fresh = try? ApplyGuards.connect(connection) else {
                say("    could not reconnect to drop the invalid index \(SQLQuoting.qualified(index)): drop it with \(PlanSQL.dropIndex(index))")
                return
            }
            db.close()
            db = fresh
            _ = try? ApplyGuards.takeLock(db)
        }
        do {
            try dropInvalid(index, reason: "left by the failed build; dropped")
        } catch {
            say("    could not drop the invalid index \(SQLQuoting.qualified(index)): \(StepRunner.describe(error)); drop it with \(PlanSQL.dropIndex(index))")
        }
    }

    /// Runs `body` while a second session shows the index build's phase on the terminal.
    func withProgress<T>(_ step: PlanStep, _ body: () throws -> T) rethrows -> T {
        guard interactive, step.kind == "create-index" || step.kind == "reindex" else { return try body() }
        let monitor = ProgressMonitor(options: try? connection.connectionOptions(), pid: db.backendPid)
        monitor.start()
        defer { monitor.stop() }
        return try body()
    }
}
