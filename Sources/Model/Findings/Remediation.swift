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
    /// `ALTER TABLE table SET (key = value, ...)`: storage parameters such as autovacuum settings;
    /// `ALTER MATERIALIZED VIEW` when `relation` is a materialized view.
    case setStorageParameters(QualifiedName, [StorageParameter], relation: TableInfo.Kind = .table)
    /// `ALTER TABLE table RESET (key, ...)`; `ALTER MATERIALIZED VIEW` when `relation` is a
    /// materialized view.
    case resetStorageParameters(QualifiedName, [String], relation: TableInfo.Kind = .table)
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

    /// Every value ``kind`` takes: what `--only` accepts as a step kind. A test checks it against
    /// one remediation of each case.
    public static let kinds: Set<String> = [
        "create-index", "drop-index", "reindex", "vacuum", "analyze", "set-storage-parameters",
        "reset-storage-parameters", "alter-system", "alter-database", "alter-role", "add-primary-key",
        "alter-column-type", "alter-sequence-type", "validate-constraint", "create-extension", "manual",
    ]
}

/// An index to create.
public struct IndexSpec: Hashable, Sendable {
    public var table: QualifiedName
    /// Index name; nil lets the planner derive one (`<table>_<keys>_idx`).
    public var name: String?
    /// Key columns and expressions, in index order.
    public var keys: [IndexKey]
    public var include: [String]
    public var method: String
    public var unique: Bool
    /// The WHERE clause of a partial index, as SQL.
    public var predicate: String?
    /// Index storage parameters, rendered as `WITH (key = value, ...)` (`pages_per_range = 32`).
    public var storageParameters: [StorageParameter]

    public init(
        table: QualifiedName, name: String? = nil, keys: [IndexKey], include: [String] = [],
        method: String = "btree", unique: Bool = false, predicate: String? = nil,
        storageParameters: [StorageParameter] = []
    ) {
        self.table = table
        self.name = name
        self.keys = keys
        self.include = include
        self.method = method
        self.unique = unique
        self.predicate = predicate
        self.storageParameters = storageParameters
    }

    /// Plain key columns, then key expressions (`lower(email)`).
    public init(
        table: QualifiedName, name: String? = nil, columns: [String], expressions: [String] = [],
        include: [String] = [], method: String = "btree", unique: Bool = false, predicate: String? = nil,
        storageParameters: [StorageParameter] = []
    ) {
        self.init(
            table: table, name: name, keys: columns.map(IndexKey.column) + expressions.map(IndexKey.expression),
            include: include, method: method, unique: unique, predicate: predicate,
            storageParameters: storageParameters)
    }
}

/// One key of an index to create: a column or an expression, with its sort order and operator class.
public struct IndexKey: Hashable, Sendable {
    /// A table column (quoted when rendered), or nil for an expression.
    public var column: String?
    /// Expression SQL, already valid and quoted (e.g. `lower("email")`), or nil for a column.
    public var expression: String?
    public var descending: Bool
    /// An operator class such as `text_pattern_ops`, or nil for the default.
    public var opclass: String?

    public init(column: String? = nil, expression: String? = nil, descending: Bool = false, opclass: String? = nil) {
        self.column = column
        self.expression = expression
        self.descending = descending
        self.opclass = opclass
    }

    public static func column(_ name: String) -> IndexKey { IndexKey(column: name) }
    public static func expression(_ sql: String) -> IndexKey { IndexKey(expression: sql) }
}

/// Options of a VACUUM remediation.
public struct VacuumOptions: Equatable, Sendable {
    public var full: Bool
    public var freeze: Bool
    public var analyze: Bool
    public var verbose: Bool

    /// Both sets of options at once: what one VACUUM asked for by two findings runs with.
    public func union(_ other: VacuumOptions) -> VacuumOptions {
        VacuumOptions(full: full || other.full, freeze: freeze || other.freeze, analyze: analyze || other.analyze,
                      verbose: verbose || other.verbose)
    }

    public init(full: Bool = false, freeze: Bool = false, analyze: Bool = false, verbose: Bool = false) {
        self.full = full
        self.freeze = freeze
        self.analyze = analyze
        self.verbose = verbose
    }
}

/// One `key = value` storage parameter of a table (`autovacuum_enabled = on`) or an index
/// (`pages_per_range = 32`).
public struct StorageParameter: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
