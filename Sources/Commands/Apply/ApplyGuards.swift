import Connector
import Foundation
import Model
import Planner

/// The checks an apply passes before it changes anything: the one writing session, the
/// advisory lock, a primary (not a standby), the plan's server, and the privileges of every step.
enum ApplyGuards {
    /// The advisory lock every apply and rollback takes, per database: the bigint whose bytes
    /// spell `pgadvsr` with a leading zero byte (0x0070676164767372 = 31640612006048626).
    static let advisoryLockKey: Int64 = 0x0070_6761_6476_7372

    /// The writing session: `application_name = 'pgadvisor-apply'`, not read-only, the
    /// caller's lock_timeout and statement_timeout (steps set their own).
    static func connect(_ group: ConnectionOptionGroup) throws -> Connection {
        var options = try group.connectionOptions()
        options.readOnly = false
        options.applicationName = group.applicationName ?? "pgadvisor-apply"
        let db = try Connection.open(options)
        // The session-level advisory lock lives as long as the session: a role's
        // idle_session_timeout (14+) must not end it between steps.
        try db.query("""
            -- pgadvisor: apply session
            SELECT pg_catalog.set_config('idle_session_timeout', '0', false)
            WHERE pg_catalog.current_setting('server_version_num')::int >= 140000
            """)
        return db
    }

    /// Takes the advisory lock, or refuses naming the session that holds it.
    static func takeLock(_ db: Connection) throws {
        let got = try db.query("-- pgadvisor: apply lock\nSELECT pg_catalog.pg_try_advisory_lock($1::bigint) AS got", [String(advisoryLockKey)])
        guard try got.rows.first?["got"].bool() == true else {
            let holder = try? db.query("""
                -- pgadvisor: apply lock holder
                SELECT l.pid, a.application_name, a.backend_start::text AS since
                FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a USING (pid)
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
                  AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid
                """, [String(advisoryLockKey)]).rows.first
            let pid = (try? holder?["pid"].optionalString()) ?? nil
            let name = (try? holder?["application_name"].optionalString()) ?? nil
            throw CLIError("another apply or rollback is running on this database (pid \(pid ?? "?")"
                + (name.map { ", \($0)" } ?? "") + "): wait for it to finish; if that run was killed, its session "
                + "still holds the lock: end it with SELECT pg_terminate_backend(\(pid ?? "pid")), then resume")
        }
    }

    static func releaseLock(_ db: Connection) {
        _ = try? db.query("-- pgadvisor: apply lock\nSELECT pg_catalog.pg_advisory_unlock($1::bigint)", [String(advisoryLockKey)])
    }

    /// Refuses a standby: DDL there fails, and the primary is where the fix belongs.
    static func requirePrimary(_ db: Connection) throws {
        let row = try db.query("-- pgadvisor: apply guard\nSELECT pg_catalog.pg_is_in_recovery() AS standby").rows.first
        if try row?["standby"].bool() == true {
            throw CLIError("the server is a standby (pg_is_in_recovery() is true): apply on the primary")
        }
    }

    /// The server and database the session is on, for the journal and the identity check.
    static func server(_ db: Connection) throws -> JournalServer {
        let row = try db.query("""
            -- pgadvisor: apply identity
            SELECT pg_catalog.current_database() AS database, pg_catalog.current_setting('server_version') AS version,
                   current_user AS who
            """).rows.first
        return JournalServer(
            systemIdentifier: ServerIdentity.systemIdentifier(db), database: try row?["database"].string() ?? "?",
            version: try row?["version"].string() ?? "?", pid: db.backendPid, user: try row?["who"].string() ?? "?")
    }

    /// Refuses a plan made for another database or cluster. `verify` passes its own words: the
    /// journal's plan is what it checks, and a new plan is no remedy there.
    static func requireSameServer(_ plan: Plan, _ server: JournalServer, subject: String = "the plan was made for",
                                  remedy: String = "make a new plan on this server") throws {
        guard plan.server.database == server.database else {
            throw CLIError("\(subject) database \(plan.server.database), not \(server.database): connect to it, or \(remedy)")
        }
        if let planned = plan.server.systemIdentifier, let current = server.systemIdentifier, planned != current {
            throw CLIError("\(subject) another cluster (system identifier \(planned), this one is \(current)): \(remedy)")
        }
    }

    /// The steps the session's role may not run, each with the reason.
    static func unauthorized(_ steps: [PlanStep], _ db: Connection) throws -> [(PlanStep, String)] {
        // A superuser may run every step: one question instead of one or more per step.
        if try PrivilegeCheck.superuser(db) { return [] }
        var refused: [(PlanStep, String)] = []
        for step in steps {
            if let reason = try PrivilegeCheck.missing(for: step, db) { refused.append((step, reason)) }
        }
        return refused
    }
}
