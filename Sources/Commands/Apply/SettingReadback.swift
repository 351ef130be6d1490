import Connector
import Foundation

/// After `ALTER SYSTEM`: reload, wait until this session has re-read the files, then read the
/// setting back (`pg_settings.setting`, `pending_restart`) and any `pg_file_settings` error.
enum SettingReadback {
    static func afterReload(_ name: String, _ db: Connection) throws -> [String] {
        let before = try db.query("-- pgadvisor: apply\nSELECT pg_catalog.pg_conf_load_time()::text AS t").rows.first?["t"].string()
        try db.query("-- pgadvisor: reload\nSELECT pg_catalog.pg_reload_conf()")
        for _ in 0..<50 {
            let now = try db.query("-- pgadvisor: apply\nSELECT pg_catalog.pg_conf_load_time()::text AS t").rows.first?["t"].string()
            if now != before { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        var lines: [String] = []
        let current = try Self.current(name, db)
        let restart = current?.pendingRestart ?? false
        if let current {
            lines.append("\(name) = \(current.shown)" + (restart ? " (pending restart: the new value applies after a restart)" : ""))
        }
        let errors = (try? db.query("""
            -- pgadvisor: read back
            SELECT name, error FROM pg_catalog.pg_file_settings WHERE error IS NOT NULL AND (name = $1 OR name IS NULL)
            """, [name]).rows) ?? []
        for row in errors {
            // A postmaster setting changed in the file is reported this way until the restart.
            if restart, try row["error"].string() == "setting could not be applied" { continue }
            lines.append("pg_file_settings error: \(try row["error"].string())")
        }
        return lines
    }

    /// The setting as `SHOW` prints it (in its own unit), and whether a changed file value
    /// waits for a restart; nil for an unknown setting.
    static func current(_ name: String, _ db: Connection) throws -> (shown: String, pendingRestart: Bool)? {
        guard let row = try db.query("""
            -- pgadvisor: read back
            SELECT pg_catalog.current_setting(name) AS shown, pending_restart FROM pg_catalog.pg_settings WHERE name = $1
            """, [name]).rows.first else { return nil }
        return (try row["shown"].string(), try row["pending_restart"].bool())
    }
}
