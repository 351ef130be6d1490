import Model

/// The SQL of a plan that is not a remediation itself: the read-only preconditions each step
/// re-checks, session settings, reload and read-back. Every identifier and literal goes
/// through ``SQLQuoting``. Each check returns one row, one text column: `ready`, `done`,
/// `invalid` or `changed` (see ``StepCheck/Outcome``).
public enum PlanSQL {
    /// `pg_catalog.to_regclass('schema.name')`: the relation's oid, NULL when it is gone.
    static func regclass(_ name: QualifiedName) -> String {
        "pg_catalog.to_regclass(\(SQLQuoting.literal(SQLQuoting.qualified(name))))"
    }

    static func check(_ cases: [(String, String)], otherwise: String) -> String {
        let whens = cases.map { "WHEN \($0.0) THEN '\($0.1)'" }.joined(separator: " ")
        return "SELECT CASE \(whens) ELSE '\(otherwise)' END AS state"
    }

    /// The index is absent (ready), valid (done) or left invalid by a failed build; another
    /// valid index of the same definition under another name (`definitionTail`, the end of
    /// `pg_get_indexdef`: `USING btree (email)`) means the table changed since the plan.
    static func createIndexCheck(table: QualifiedName, index: QualifiedName, definitionTail: String) -> String {
        let tail = SQLQuoting.literal(definitionTail)
        let twin = "EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = \(regclass(table)) AND i.indisvalid "
            + "AND i.indexrelid IS DISTINCT FROM \(regclass(index)) "
            + "AND right(pg_catalog.pg_get_indexdef(i.indexrelid), length(\(tail))) = \(tail))"
        return check([
            ("\(regclass(table)) IS NULL", "changed"),
            ("\(regclass(index)) IS NULL AND \(twin)", "changed"),
            ("\(regclass(index)) IS NULL", "ready"),
            ("(SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = \(regclass(index)))", "done"),
        ], otherwise: "invalid")
    }

    /// The index is gone (done), or still there with every condition the plan saw (ready).
    static func dropIndexCheck(index: QualifiedName, conditions: [String]) -> String {
        check([
            ("\(regclass(index)) IS NULL", "done"),
            (conditions.isEmpty ? "true" : conditions.joined(separator: " AND "), "ready"),
        ], otherwise: "changed")
    }

    /// The index has been scanned at most `scans` times (fewer after a statistics reset).
    static func stillUnused(_ index: QualifiedName, scans: Int64) -> String {
        "COALESCE((SELECT s.idx_scan FROM pg_catalog.pg_stat_all_indexes s WHERE s.indexrelid = \(regclass(index))), 0) <= \(scans)"
    }

    /// `index` exists and is valid: the copy or cover that keeps serving the reads.
    static func validIndex(_ index: QualifiedName) -> String {
        "COALESCE((SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = \(regclass(index))), false)"
    }

    static func stillInvalid(_ index: QualifiedName) -> String { "NOT \(validIndex(index))" }

    /// `pg_get_indexdef` of the index is still `definition`.
    static func sameDefinition(_ index: QualifiedName, _ definition: String) -> String {
        "pg_catalog.pg_get_indexdef(\(regclass(index))) = \(SQLQuoting.literal(definition))"
    }

    /// The index still has at least 90 % of the pages seen (it was not rebuilt meanwhile).
    static func stillLarge(_ index: QualifiedName, pages: Int64) -> String {
        "COALESCE((SELECT c.relpages FROM pg_catalog.pg_class c WHERE c.oid = \(regclass(index))), 0) >= \(pages * 9 / 10)"
    }

    static func reindexCheck(index: QualifiedName, conditions: [String]) -> String {
        check([
            ("\(regclass(index)) IS NULL", "changed"),
            (conditions.isEmpty ? "true" : conditions.joined(separator: " AND "), "ready"),
        ], otherwise: "done")
    }

    /// VACUUM or ANALYZE ran since the plan was made (done), else the table is there (ready).
    static func maintenanceCheck(table: QualifiedName, columns: [String], since: Timestamp) -> String {
        let latest = "GREATEST(\(columns.map { "s.\($0)" }.joined(separator: ", ")))"
        return check([
            ("\(regclass(table)) IS NULL", "changed"),
            ("(SELECT \(latest) FROM pg_catalog.pg_stat_all_tables s WHERE s.relid = \(regclass(table))) >= \(SQLQuoting.literal(since.iso8601))::timestamptz", "done"),
        ], otherwise: "ready")
    }

    /// `reloptions` of the table, as `key=value` text.
    private static func reloptions(_ table: QualifiedName) -> String {
        "COALESCE((SELECT c.reloptions FROM pg_catalog.pg_class c WHERE c.oid = \(regclass(table))), '{}')"
    }

    /// Options under `toast.` live in the TOAST table's own reloptions.
    private static func reloptions(_ table: QualifiedName, key: String) -> (array: String, key: String) {
        guard key.hasPrefix("toast.") else { return (reloptions(table), key) }
        let toast = "COALESCE((SELECT t.reloptions FROM pg_catalog.pg_class c JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid WHERE c.oid = \(regclass(table))), '{}')"
        return (toast, String(key.dropFirst("toast.".count)))
    }

    static func setStorageCheck(table: QualifiedName, parameters: [StorageParameter]) -> String {
        let all = parameters.map { p -> String in
            let (array, key) = reloptions(table, key: p.key)
            return "\(SQLQuoting.literal("\(key)=\(p.value)")) = ANY (\(array))"
        }
        return check([("\(regclass(table)) IS NULL", "changed"), (all.joined(separator: " AND "), "done")], otherwise: "ready")
    }

    static func resetStorageCheck(table: QualifiedName, keys: [String]) -> String {
        let none = keys.map { k -> String in
            let (array, key) = reloptions(table, key: k)
            return "NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(\(array)) o WHERE o LIKE \(SQLQuoting.literal(key + "=%")))"
        }
        return check([("\(regclass(table)) IS NULL", "changed"), (none.joined(separator: " AND "), "done")], otherwise: "ready")
    }

    /// `postgresql.auto.conf` already holds the value (done); the setting still has the value
    /// the plan saw (ready).
    static func alterSystemCheck(name: String, value: String, seen: String?) -> String {
        var cases = [(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_file_settings f WHERE f.sourcefile LIKE '%postgresql.auto.conf' "
                + "AND f.name = \(SQLQuoting.literal(name)) AND f.setting = \(SQLQuoting.literal(value)))", "done")]
        if let seen {
            cases.append(("(SELECT s.setting FROM pg_catalog.pg_settings s WHERE s.name = \(SQLQuoting.literal(name))) = \(SQLQuoting.literal(seen))", "ready"))
            return check(cases, otherwise: "changed")
        }
        return check(cases, otherwise: "ready")
    }

    /// `name=value` is already in `pg_db_role_setting` for the database or role.
    static func perObjectSettingCheck(database: String?, role: String?, name: String, value: String) -> String {
        let databaseMatch = database.map { "s.setdatabase = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = \(SQLQuoting.literal($0)))" } ?? "s.setdatabase = 0"
        let roleMatch = role.map { "s.setrole = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = \(SQLQuoting.literal($0)))" } ?? "s.setrole = 0"
        return check([(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_db_role_setting s WHERE \(databaseMatch) AND \(roleMatch) "
                + "AND \(SQLQuoting.literal("\(name)=\(value)")) = ANY (s.setconfig))", "done")], otherwise: "ready")
    }

    static func columnTypeCheck(table: QualifiedName, column: String, type: String) -> String {
        let current = "(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a "
            + "WHERE a.attrelid = \(regclass(table)) AND a.attname = \(SQLQuoting.literal(column)) AND NOT a.attisdropped)"
        return check([("\(current) IS NULL", "changed"), ("\(current) = \(SQLQuoting.literal(type))", "done")], otherwise: "ready")
    }

    static func sequenceTypeCheck(sequence: QualifiedName, type: String) -> String {
        let current = "(SELECT s.seqtypid::pg_catalog.regtype::text FROM pg_catalog.pg_sequence s WHERE s.seqrelid = \(regclass(sequence)))"
        return check([("\(current) IS NULL", "changed"), ("\(current) = \(SQLQuoting.literal(type))", "done")], otherwise: "ready")
    }

    static func primaryKeyCheck(table: QualifiedName) -> String {
        check([
            ("\(regclass(table)) IS NULL", "changed"),
            ("EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conrelid = \(regclass(table)) AND c.contype = 'p')", "done"),
        ], otherwise: "ready")
    }

    static func validateConstraintCheck(table: QualifiedName, constraint: String) -> String {
        let validated = "(SELECT c.convalidated FROM pg_catalog.pg_constraint c WHERE c.conrelid = \(regclass(table)) AND c.conname = \(SQLQuoting.literal(constraint)))"
        return check([("\(validated) IS NULL", "changed"), (validated, "done")], otherwise: "ready")
    }

    static func extensionCheck(_ name: String) -> String {
        check([("EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = \(SQLQuoting.literal(name)))", "done")], otherwise: "ready")
    }

    // MARK: Session and server statements of apply and the script

    /// `SET name = 'value'` for the applying session.
    public static func set(_ name: String, _ value: String) -> String {
        "SET \(RemediationSQL.settingName(name)) = \(SQLQuoting.literal(value))"
    }

    public static let reloadConf = "SELECT pg_catalog.pg_reload_conf()"

    /// `ALTER SYSTEM SET name = value`, the form rollback restores a saved entry with.
    public static func alterSystemSet(_ name: String, _ value: String) -> String {
        "ALTER SYSTEM SET \(RemediationSQL.settingName(name)) = \(RemediationSQL.settingValue(name, value));"
    }

    public static func alterSystemReset(_ name: String) -> String {
        "ALTER SYSTEM RESET \(RemediationSQL.settingName(name));"
    }

    /// `ALTER TABLE t SET (k = v, ...)` restoring earlier storage parameters, or RESET for keys that had none.
    public static func restoreStorage(_ table: QualifiedName, previous: [String: String?], relation: TableInfo.Kind = .table) -> [String] {
        let entries = previous.sorted { $0.key < $1.key }
        let set = entries.compactMap { entry in entry.value.map { StorageParameter(entry.key, $0) } }
        let reset = entries.filter { $0.value == nil }.map(\.key)
        var statements: [String] = []
        if !set.isEmpty { statements.append(RemediationSQL.sql(.setStorageParameters(table, set, relation: relation))) }
        if !reset.isEmpty { statements.append(RemediationSQL.sql(.resetStorageParameters(table, reset, relation: relation))) }
        return statements
    }

    /// `ALTER DATABASE d SET name = value` or `... RESET name`.
    public static func alterDatabase(_ database: String, _ name: String, _ value: String?) -> String {
        guard let value else { return "ALTER DATABASE \(SQLQuoting.identifier(database)) RESET \(RemediationSQL.settingName(name));" }
        return RemediationSQL.sql(.alterDatabase(database: database, name: name, value: value))
    }

    /// `ALTER ROLE r SET name = value` or `... RESET name`.
    public static func alterRole(_ role: String, _ name: String, _ value: String?) -> String {
        guard let value else { return "ALTER ROLE \(SQLQuoting.identifier(role)) RESET \(RemediationSQL.settingName(name));" }
        return RemediationSQL.sql(.alterRole(role: role, name: name, value: value))
    }

    /// `DROP INDEX CONCURRENTLY IF EXISTS index;`: the clean-up of a failed build.
    public static func dropIndex(_ index: QualifiedName) -> String {
        RemediationSQL.sql(.dropIndex(index, definition: nil))
    }

    /// A `pg_get_indexdef()` definition made concurrent: how a dropped index is re-created.
    public static func recreateIndex(definition: String) -> String {
        RemediationSQL.concurrently(definition) + ";"
    }
}
