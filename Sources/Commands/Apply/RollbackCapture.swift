import Connector
import Foundation
import Model
import Planner

/// The exact undo of a step, read from the server right before it runs: a dropped index's
/// definition, the `postgresql.auto.conf` entry a setting replaces (not `pg_settings`, which
/// may come from elsewhere), storage parameters and per-role or per-database values.
enum RollbackCapture {
    static func statements(for step: PlanStep, _ db: Connection) throws -> [String] {
        switch step.kind {
        case "drop-index":
            guard let index = step.object.index,
                  let definition = try db.query("-- pgadvisor: rollback capture\nSELECT pg_catalog.pg_get_indexdef(pg_catalog.to_regclass($1)) AS d",
                                                [SQLQuoting.qualified(index)]).rows.first?["d"].optionalString()
            else { return step.rollback }
            return [PlanSQL.recreateIndex(definition: definition)]
        case "alter-system":
            return [try autoConfRollback(step.object.setting ?? "", db)]
        case "set-storage-parameters", "reset-storage-parameters":
            guard let table = step.object.table, let keys = step.object.storageKeys else { return step.rollback }
            let options = try reloptions(table, db)
            var previous: [String: String?] = [:]
            // updateValue keeps a nil (no earlier value: RESET it); a subscript assignment of nil would drop the key.
            for key in keys { previous.updateValue(options[key], forKey: key) }
            return PlanSQL.restoreStorage(table, previous: previous)
        case "alter-database", "alter-role":
            return [try perObjectRollback(step, db)]
        default:
            return step.rollback
        }
    }

    /// `ALTER SYSTEM SET name = '<entry>'` when auto.conf has one, else `ALTER SYSTEM RESET name`.
    static func autoConfRollback(_ name: String, _ db: Connection) throws -> String {
        let rows = try? db.query("""
            -- pgadvisor: rollback capture
            SELECT setting FROM pg_catalog.pg_file_settings
            WHERE sourcefile LIKE '%postgresql.auto.conf' AND name = $1 ORDER BY seqno DESC LIMIT 1
            """, [name]).rows
        if let entry = try rows?.first?["setting"].optionalString() { return PlanSQL.alterSystemSet(name, entry) }
        return PlanSQL.alterSystemReset(name)
    }

    /// `key → value` of a table's storage parameters, `toast.` ones from its TOAST table.
    static func reloptions(_ table: QualifiedName, _ db: Connection) throws -> [String: String] {
        let rows = try db.query("""
            -- pgadvisor: rollback capture
            SELECT o AS option FROM pg_catalog.pg_class c, pg_catalog.unnest(c.reloptions) o WHERE c.oid = pg_catalog.to_regclass($1)
            UNION ALL
            SELECT 'toast.' || o FROM pg_catalog.pg_class c JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid,
                   pg_catalog.unnest(t.reloptions) o WHERE c.oid = pg_catalog.to_regclass($1)
            """, [SQLQuoting.qualified(table)]).rows
        var options: [String: String] = [:]
        for row in rows {
            let text = try row["option"].string()
            guard let eq = text.firstIndex(of: "=") else { continue }
            options[String(text[..<eq])] = String(text[text.index(after: eq)...])
        }
        return options
    }

    static func perObjectRollback(_ step: PlanStep, _ db: Connection) throws -> String {
        let name = step.object.setting ?? ""
        let config = try db.query("""
            -- pgadvisor: rollback capture
            SELECT c AS entry FROM pg_catalog.pg_db_role_setting s, pg_catalog.unnest(s.setconfig) c
            WHERE s.setdatabase = COALESCE((SELECT oid FROM pg_catalog.pg_database WHERE datname = $1), 0)
              AND s.setrole = COALESCE((SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $2), 0)
              AND c LIKE $3 || '=%'
            """, [step.object.database, step.object.role, name]).rows.first?["entry"].optionalString()
        let previous = config.map { String($0.dropFirst(name.count + 1)) }
        if let database = step.object.database { return PlanSQL.alterDatabase(database, name, previous) }
        return PlanSQL.alterRole(step.object.role ?? "", name, previous)
    }
}
