import Connector
import Model
import Planner

/// Whether the session's role may run a step, asked of the server with bound values.
enum PrivilegeCheck {
    /// nil when the role may run `step`, else what it lacks.
    static func missing(for step: PlanStep, _ db: Connection) throws -> String? {
        switch step.kind {
        case "alter-system":
            return try alterSystem(step.object.setting ?? "", db) ? nil
                : "superuser or GRANT ALTER SYSTEM ON PARAMETER \(step.object.setting ?? "") (15+), and EXECUTE on pg_reload_conf()"
        case "alter-database":
            return try ask("SELECT r.rolsuper OR pg_catalog.pg_has_role(current_user, d.datdba, 'USAGE') AS ok FROM pg_catalog.pg_roles r, pg_catalog.pg_database d WHERE r.rolname = current_user AND d.datname = $1",
                           [step.object.database ?? ""], db) ? nil : "ownership of database \(step.object.database ?? "")"
        case "alter-role":
            return try ask("SELECT rolsuper OR rolcreaterole AS ok FROM pg_catalog.pg_roles WHERE rolname = current_user", [], db)
                ? nil : "superuser or CREATEROLE"
        case "create-extension":
            return try superuser(db) ? nil : "superuser"
        default:
            guard let table = step.object.table ?? step.object.index else { return nil }
            return try owns(table, db) ? nil : "ownership of \(SQLQuoting.qualified(table)) (or superuser)"
        }
    }

    static func superuser(_ db: Connection) throws -> Bool {
        try ask("SELECT rolsuper AS ok FROM pg_catalog.pg_roles WHERE rolname = current_user", [], db)
    }

    /// The role owns the relation (with inheritance), or is superuser; a relation that is
    /// gone passes here and is caught by the step's precondition. Looked up by name in the
    /// catalogs, not with to_regclass, which fails for a schema the role has no USAGE on.
    static func owns(_ relation: QualifiedName, _ db: Connection) throws -> Bool {
        try ask("""
            SELECT COALESCE((SELECT r.rolsuper OR pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE')
                             FROM pg_catalog.pg_class c
                             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, pg_catalog.pg_roles r
                             WHERE n.nspname = $1 AND c.relname = $2 AND r.rolname = current_user), true) AS ok
            """, [relation.schema, relation.name], db)
    }

    static func alterSystem(_ setting: String, _ db: Connection) throws -> Bool {
        if try superuser(db) { return true }
        let version = try db.query("-- pgadvisor: apply\nSELECT pg_catalog.current_setting('server_version_num')::int AS v").rows.first?["v"].int64() ?? 0
        guard version >= 150_000 else { return false }
        return try ask("""
            SELECT pg_catalog.has_parameter_privilege(current_user, $1, 'ALTER SYSTEM')
               AND pg_catalog.has_function_privilege(current_user, 'pg_catalog.pg_reload_conf()', 'EXECUTE') AS ok
            """, [setting], db)
    }

    private static func ask(_ sql: String, _ parameters: [String?], _ db: Connection) throws -> Bool {
        try db.query("-- pgadvisor: privilege check\n" + sql, parameters).rows.first?["ok"].optionalBool() ?? false
    }
}
