import Foundation
import Model

/// Renders remediations as the SQL a plan would run. Every identifier goes through
/// `SQLQuoting`; setting values and storage parameters are literals.
public enum RemediationSQL {
    /// The statement for `remediation`, ending in `;`; empty for a manual step.
    public static func sql(_ remediation: Remediation) -> String {
        switch remediation {
        case .createIndex(let spec):
            return createIndex(spec)
        case .dropIndex(let index, _):
            return "DROP INDEX CONCURRENTLY IF EXISTS \(SQLQuoting.qualified(index));"
        case .reindex(let index):
            return "REINDEX INDEX CONCURRENTLY \(SQLQuoting.qualified(index));"
        case .vacuum(let table, let options):
            var words: [String] = []
            if options.full { words.append("FULL") }
            if options.freeze { words.append("FREEZE") }
            if options.verbose { words.append("VERBOSE") }
            if options.analyze { words.append("ANALYZE") }
            let list = words.isEmpty ? "" : "(\(words.joined(separator: ", "))) "
            return "VACUUM \(list)\(SQLQuoting.qualified(table));"
        case .analyze(let table):
            return "ANALYZE \(SQLQuoting.qualified(table));"
        case .setStorageParameters(let table, let parameters, let relation):
            let list = parameters.map { "\(storageKey($0.key)) = \(SQLQuoting.literal($0.value))" }
            return "\(alter(relation)) \(SQLQuoting.qualified(table)) SET (\(list.joined(separator: ", ")));"
        case .resetStorageParameters(let table, let keys, let relation):
            return "\(alter(relation)) \(SQLQuoting.qualified(table)) RESET (\(keys.map(storageKey).joined(separator: ", ")));"
        case .alterSystem(let name, let value, _):
            return "ALTER SYSTEM SET \(settingName(name)) = \(settingValue(name, value));"
        case .alterDatabase(let database, let name, let value):
            return "ALTER DATABASE \(SQLQuoting.identifier(database)) SET \(settingName(name)) = \(settingValue(name, value));"
        case .alterRole(let role, let name, let value):
            return "ALTER ROLE \(SQLQuoting.identifier(role)) SET \(settingName(name)) = \(settingValue(name, value));"
        case .addIdentityPrimaryKey(let table, let column):
            return "ALTER TABLE \(SQLQuoting.qualified(table)) ADD COLUMN \(SQLQuoting.identifier(column)) "
                + "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"
        case .addPrimaryKeyUsingIndex(let table, let index):
            return "ALTER TABLE \(SQLQuoting.qualified(table)) ADD PRIMARY KEY USING INDEX \(SQLQuoting.identifier(index));"
        case .alterColumnType(let table, let column, let type):
            return "ALTER TABLE \(SQLQuoting.qualified(table)) ALTER COLUMN \(SQLQuoting.identifier(column)) TYPE \(type);"
        case .alterSequenceType(let sequence, let type):
            return "ALTER SEQUENCE \(SQLQuoting.qualified(sequence)) AS \(type);"
        case .validateConstraint(let table, let constraint):
            return "ALTER TABLE \(SQLQuoting.qualified(table)) VALIDATE CONSTRAINT \(SQLQuoting.identifier(constraint));"
        case .createExtension(let name):
            return "CREATE EXTENSION IF NOT EXISTS \(SQLQuoting.identifier(name));"
        case .manual:
            return ""
        }
    }

    /// One line saying what the step does, for reports (the manual text for manual steps).
    public static func summary(_ remediation: Remediation) -> String {
        switch remediation {
        case .createIndex(let spec): "create index \(SQLQuoting.identifier(indexName(spec))) on \(SQLQuoting.qualified(spec.table))"
        case .dropIndex(let index, _): "drop index \(SQLQuoting.qualified(index))"
        case .reindex(let index): "rebuild index \(SQLQuoting.qualified(index))"
        case .vacuum(let table, let options): (options.full ? "rewrite " : "vacuum ") + SQLQuoting.qualified(table)
        case .analyze(let table): "analyze \(SQLQuoting.qualified(table))"
        case .setStorageParameters(let table, _, _): "set storage parameters of \(SQLQuoting.qualified(table))"
        case .resetStorageParameters(let table, _, _): "reset storage parameters of \(SQLQuoting.qualified(table))"
        case .alterSystem(let name, let value, let restart):
            "set \(name) = \(value) server-wide (\(restart ? "restart" : "reload") needed)"
        case .alterDatabase(let database, let name, let value): "set \(name) = \(value) for database \(SQLQuoting.identifier(database))"
        case .alterRole(let role, let name, let value): "set \(name) = \(value) for role \(SQLQuoting.identifier(role))"
        case .addIdentityPrimaryKey(let table, _), .addPrimaryKeyUsingIndex(let table, _):
            "add a primary key to \(SQLQuoting.qualified(table))"
        case .alterColumnType(let table, let column, let type):
            "change \(SQLQuoting.qualified(table)).\(SQLQuoting.identifier(column)) to \(type)"
        case .alterSequenceType(let sequence, let type): "change \(SQLQuoting.qualified(sequence)) to \(type)"
        case .validateConstraint(let table, let constraint):
            "validate constraint \(SQLQuoting.identifier(constraint)) on \(SQLQuoting.qualified(table))"
        case .createExtension(let name): "create extension \(name)"
        case .manual(let text): text
        }
    }

    /// The statement that undoes `remediation`, when there is one pgadvisor can know.
    public static func rollback(_ remediation: Remediation) -> String? {
        switch remediation {
        case .createIndex(let spec):
            return "DROP INDEX CONCURRENTLY IF EXISTS \(SQLQuoting.qualified(QualifiedName(schema: spec.table.schema, name: indexName(spec))));"
        case .dropIndex(_, let definition?):
            return concurrently(definition) + ";"
        case .alterSystem(let name, _, _):
            return "ALTER SYSTEM RESET \(settingName(name));"
        case .alterDatabase(let database, let name, _):
            return "ALTER DATABASE \(SQLQuoting.identifier(database)) RESET \(settingName(name));"
        case .alterRole(let role, let name, _):
            return "ALTER ROLE \(SQLQuoting.identifier(role)) RESET \(settingName(name));"
        case .setStorageParameters(let table, let parameters, let relation):
            return "\(alter(relation)) \(SQLQuoting.qualified(table)) RESET (\(parameters.map { storageKey($0.key) }.joined(separator: ", ")));"
        default:
            return nil
        }
    }

    /// The index name a create-index step uses: the given one, or ``IndexSpec/derivedName(number:)``.
    public static func indexName(_ spec: IndexSpec) -> String {
        spec.name ?? spec.derivedName()
    }

    static func createIndex(_ spec: IndexSpec) -> String {
        "CREATE \(spec.unique ? "UNIQUE " : "")INDEX CONCURRENTLY IF NOT EXISTS "
            + "\(SQLQuoting.identifier(indexName(spec))) ON \(SQLQuoting.qualified(spec.table))" + spec.definitionBody + ";"
    }

    /// `CREATE INDEX ON table (keys) ...` without a name or CONCURRENTLY: the form a hypothetical
    /// index is created from.
    public static func hypotheticalIndex(_ spec: IndexSpec) -> String {
        "CREATE \(spec.unique ? "UNIQUE " : "")INDEX ON \(SQLQuoting.qualified(spec.table))" + spec.definitionBody
    }

    /// `CREATE [UNIQUE] INDEX name ON ...` from `pg_get_indexdef()` with CONCURRENTLY added.
    static func concurrently(_ definition: String) -> String {
        for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] where definition.hasPrefix(prefix) {
            return prefix + "CONCURRENTLY " + definition.dropFirst(prefix.count)
        }
        return definition
    }

    /// Settings whose value is a list: each element must be its own literal, or PostgreSQL
    /// reads `'a,b'` as one element named `a,b`.
    static let listSettings: Set<String> = [
        "shared_preload_libraries", "session_preload_libraries", "local_preload_libraries", "search_path",
        "temp_tablespaces",
    ]

    static func settingValue(_ name: String, _ value: String) -> String {
        guard listSettings.contains(name.lowercased()) else { return SQLQuoting.literal(value) }
        let items = SettingList.entries(value)
        return items.isEmpty ? "''" : items.map(SQLQuoting.literal).joined(separator: ", ")
    }

    /// Setting names are identifiers, but custom ones (`pg_stat_statements.max`) have a dot.
    static func settingName(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { SQLQuoting.identifier(String($0)) }
            .joined(separator: ".")
    }

    /// Storage parameter names, including `toast.autovacuum_enabled`.
    static func storageKey(_ key: String) -> String { settingName(key) }

    /// `ALTER TABLE`, or `ALTER MATERIALIZED VIEW` for a materialized view: the command that sets
    /// a relation's storage parameters.
    static func alter(_ relation: TableInfo.Kind) -> String {
        relation == .materializedView ? "ALTER MATERIALIZED VIEW" : "ALTER TABLE"
    }
}
