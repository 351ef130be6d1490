import Model

/// Renders the statements pgadvisor suggests outside a finding's remediations: the fixes the
/// doctor, the collector and the rules give in their text, and the script of `tune`. Like
/// ``RemediationSQL``, every identifier goes through `SQLQuoting` and every setting value is a
/// literal; each statement ends in `;`.
public enum StatementSQL {
    /// `GRANT role TO member;`: makes `member` a member of `role` (`pg_monitor`, `pg_read_all_stats`, ...).
    public static func grantRole(_ role: String, to member: String) -> String {
        "GRANT \(SQLQuoting.identifier(role)) TO \(SQLQuoting.identifier(member));"
    }

    /// How `role` gets to read every table and sequence, as the fixes for statistics or sequences
    /// it may not read name it: `GRANT pg_read_all_data TO role; (PostgreSQL 14+)`, the predefined
    /// role arriving in 14.
    public static func grantReadAllData(to role: String) -> String {
        grantRole("pg_read_all_data", to: role) + " (PostgreSQL 14+)"
    }

    /// How `role` gets to read the last value of sequences it may not read (the collector's fix
    /// and the reason `sequence-exhaustion` is skipped): ``grantReadAllData(to:)`` or `GRANT SELECT`.
    public static func grantReadSequences(to role: String) -> String {
        grantReadAllData(to: role) + " or GRANT SELECT on the sequences"
    }

    /// `CREATE EXTENSION name;`. The remediation ``Remediation/createExtension(_:)`` adds
    /// `IF NOT EXISTS`; this is the plain form a fix for a missing extension names.
    public static func createExtension(_ name: String) -> String {
        "CREATE EXTENSION \(SQLQuoting.identifier(name));"
    }

    /// `ALTER SYSTEM SET name = value;`, rendered as the ``Remediation/alterSystem(name:value:restart:)``
    /// step is (list settings such as `shared_preload_libraries` take one literal per element).
    public static func alterSystemSet(_ name: String, _ value: String) -> String {
        RemediationSQL.sql(.alterSystem(name: name, value: value, restart: false))
    }

    /// `ALTER ROLE role SET name = value;`, rendered as the ``Remediation/alterRole(role:name:value:)`` step is.
    public static func alterRoleSet(_ role: String, _ name: String, _ value: String) -> String {
        RemediationSQL.sql(.alterRole(role: role, name: name, value: value))
    }

    /// `SELECT pg_reload_conf();`: makes the server read its configuration files (and
    /// `postgresql.auto.conf`, where ALTER SYSTEM writes) again.
    public static func reloadConf() -> String {
        "SELECT pg_reload_conf();"
    }

    /// `ALTER SYSTEM SET` for each setting in order, then ``reloadConf()``; empty when there is
    /// nothing to set. Each line is one statement: ALTER SYSTEM cannot run in a transaction block.
    public static func alterSystemScript(_ settings: [(name: String, value: String)]) -> [String] {
        guard !settings.isEmpty else { return [] }
        return settings.map { alterSystemSet($0.name, $0.value) } + [reloadConf()]
    }

    /// `SELECT pg_cancel_backend(pid);`: cancels the statement the backend `pid` is running.
    public static func cancelBackend(_ pid: Int32) -> String {
        "SELECT pg_cancel_backend(\(pid));"
    }

    /// `SELECT pg_terminate_backend(pid);`: ends the session of backend `pid`, rolling back its transaction.
    public static func terminateBackend(_ pid: Int32) -> String {
        "SELECT pg_terminate_backend(\(pid));"
    }

    /// `ALTER TABLE table DROP CONSTRAINT constraint;` (its index goes with it).
    public static func dropConstraint(_ constraint: String, on table: QualifiedName) -> String {
        "ALTER TABLE \(SQLQuoting.qualified(table)) DROP CONSTRAINT \(SQLQuoting.identifier(constraint));"
    }

    /// `statement` without its final `;`, for quoting it inside a sentence
    /// ("… with ALTER ROLE app SET work_mem = '64MB', or …").
    public static func inline(_ statement: String) -> String {
        statement.hasSuffix(";") ? String(statement.dropLast()) : statement
    }
}
