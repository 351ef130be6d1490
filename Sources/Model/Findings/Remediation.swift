/// A structured fix. Findings carry these; only the planner turns them into SQL, so every
/// identifier goes through one quoting function.
public enum Remediation: Equatable, Sendable {
    /// `CREATE INDEX CONCURRENTLY`.
    case createIndex(IndexSpec)
    /// `DROP INDEX CONCURRENTLY`; `definition` (`pg_get_indexdef`) is the rollback.
    case dropIndex(QualifiedName, definition: String?)
    /// `REINDEX INDEX CONCURRENTLY`.
    case reindex(QualifiedName)
    /// `VACUUM (options) table`.
    case vacuum(QualifiedName, VacuumOptions)
    /// `ANALYZE table`.
    case analyze(QualifiedName)
    /// `ALTER TABLE table SET (key = value, ...)`: storage parameters such as autovacuum settings.
    case setStorageParameters(QualifiedName, [StorageParameter])
    /// `ALTER TABLE table RESET (key, ...)`.
    case resetStorageParameters(QualifiedName, [String])
    /// `ALTER SYSTEM SET name = value`; `restart` when the setting's context is `postmaster`.
    case alterSystem(name: String, value: String, restart: Bool)
    /// `ALTER DATABASE database SET name = value`.
    case alterDatabase(database: String, name: String, value: String)
    /// `ALTER ROLE role SET name = value`.
    case alterRole(role: String, name: String, value: String)
    /// `ALTER TABLE table ADD COLUMN column bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.
    case addIdentityPrimaryKey(QualifiedName, column: String)
    /// `ALTER TABLE table ADD PRIMARY KEY USING INDEX index` (a unique index on NOT NULL columns).
    case addPrimaryKeyUsingIndex(QualifiedName, index: String)
    /// `ALTER TABLE table ALTER COLUMN column TYPE type` (rewrites the table).
    case alterColumnType(QualifiedName, column: String, type: String)
    /// `ALTER SEQUENCE sequence AS type`.
    case alterSequenceType(QualifiedName, type: String)
    /// `ALTER TABLE table VALIDATE CONSTRAINT name`.
    case validateConstraint(QualifiedName, constraint: String)
    /// `CREATE EXTENSION IF NOT EXISTS name`.
    case createExtension(String)
    /// A step that is not SQL pgadvisor would run: a check or a decision for the DBA.
    case manual(String)

    /// A stable kebab-case name for the JSON report (`drop-index`, `alter-system`, ...).
    public var kind: String {
        switch self {
        case .createIndex: "create-index"
        case .dropIndex: "drop-index"
        case .reindex: "reindex"
        case .vacuum: "vacuum"
        case .analyze: "analyze"
        case .setStorageParameters: "set-storage-parameters"
        case .resetStorageParameters: "reset-storage-parameters"
        case .alterSystem: "alter-system"
        case .alterDatabase: "alter-database"
        case .alterRole: "alter-role"
        case .addIdentityPrimaryKey: "add-primary-key"
        case .addPrimaryKeyUsingIndex: "add-primary-key"
        case .alterColumnType: "alter-column-type"
        case .alterSequenceType: "alter-sequence-type"
        case .validateConstraint: "validate-constraint"
        case .createExtension: "create-extension"
        case .manual: "manual"
        }
    }
}

/// An index to create.
public struct IndexSpec: Equatable, Sendable {
    public var table: QualifiedName
    /// Index name; nil lets the planner derive one (`<table>_<columns>_idx`).
    public var name: String?
    /// Key columns (plain column names); expressions go in `expressions`.
    public var columns: [String]
    /// Key expressions, already valid SQL (e.g. `lower(email)`); placed after `columns`.
    public var expressions: [String]
    public var include: [String]
    public var method: String
    public var unique: Bool
    /// The WHERE clause of a partial index, as SQL.
    public var predicate: String?

    public init(
        table: QualifiedName, name: String? = nil, columns: [String], expressions: [String] = [],
        include: [String] = [], method: String = "btree", unique: Bool = false, predicate: String? = nil
    ) {
        self.table = table
        self.name = name
        self.columns = columns
        self.expressions = expressions
        self.include = include
        self.method = method
        self.unique = unique
        self.predicate = predicate
    }
}

/// Options of a VACUUM remediation.
public struct VacuumOptions: Equatable, Sendable {
    public var full: Bool
    public var freeze: Bool
    public var analyze: Bool
    public var verbose: Bool

    public init(full: Bool = false, freeze: Bool = false, analyze: Bool = false, verbose: Bool = false) {
        self.full = full
        self.freeze = freeze
        self.analyze = analyze
        self.verbose = verbose
    }
}

/// One `key = value` storage parameter of a table (`autovacuum_enabled = on`).
public struct StorageParameter: Equatable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
