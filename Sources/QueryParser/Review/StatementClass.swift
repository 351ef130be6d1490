/// What a statement of a reviewed `.sql` file is, as far as a pre-release review cares.
public enum StatementClass: Equatable, Sendable {
    /// SELECT, INSERT, UPDATE, DELETE or MERGE: EXPLAIN can plan it. `readOnly` is true for a
    /// SELECT without a locking clause (`FOR UPDATE` ...), `INTO` or a data-modifying WITH.
    case query(readOnly: Bool)
    /// DDL: checked for the locks and rewrites it causes, never run.
    case schemaChange(SchemaChange)
    /// `SET [LOCAL] lock_timeout` or `RESET lock_timeout`; `enabled` is false for 0, DEFAULT
    /// and RESET (a lock wait is then unbounded, or left to the role's default).
    case lockTimeout(enabled: Bool)
    /// Anything else (`BEGIN`, `COMMIT`, other `SET`s, `CREATE FUNCTION` ...): the node name.
    case other(String)
}

/// One DDL statement as written: the table it locks and what it does to it.
public struct SchemaChange: Equatable, Sendable {
    public enum Form: Equatable, Sendable {
        /// `CREATE TABLE`: the table is new, so later statements of the file on it block no one.
        case createTable
        /// `CREATE [UNIQUE] INDEX [CONCURRENTLY]`.
        case createIndex(concurrently: Bool)
        /// `ALTER TABLE` with its subcommands in order.
        case alterTable([AlterTableAction])
        /// Another statement that locks `table` (DROP, RENAME, TRUNCATE, CREATE TRIGGER, REINDEX,
        /// CLUSTER, VACUUM FULL, LOCK): the node name. `concurrently` when it takes the weak lock.
        case locking(String, concurrently: Bool)
    }

    public var form: Form
    /// The table the statement locks: the indexed, altered, created or locked one; nil when it
    /// names none (`CREATE FUNCTION` is `.other`, not a schema change).
    public var table: RelationReference?

    public init(form: Form, table: RelationReference?) {
        self.form = form
        self.table = table
    }
}

/// One subcommand of `ALTER TABLE`.
public enum AlterTableAction: Equatable, Sendable {
    case addColumn(AddedColumn)
    /// `ALTER COLUMN c [SET DATA] TYPE t [USING ...]`.
    case alterColumnType(column: String, type: TypeReference, using: Bool)
    case addConstraint(AddedConstraint)
    /// `ALTER COLUMN c SET NOT NULL`.
    case setNotNull(column: String)
    /// `VALIDATE CONSTRAINT name`.
    case validateConstraint(name: String)
    /// Any other subcommand: libpg_query's subtype (`AT_DropColumn`, `AT_SetStorage`, ...).
    case other(String)
}

/// `ADD COLUMN name type [DEFAULT ...] [GENERATED ...] [REFERENCES ...]`.
public struct AddedColumn: Equatable, Sendable {
    public var name: String
    public var type: TypeReference
    /// The functions the DEFAULT expression calls (last name part, lower case); nil without a
    /// DEFAULT, empty for a constant default.
    public var defaultCalls: [String]?
    /// `GENERATED ALWAYS AS (...) STORED`: computed for every row at once.
    public var generatedStored: Bool
    /// `GENERATED ... AS IDENTITY`: a sequence value for every row at once.
    public var identity: Bool
    /// An inline `REFERENCES` (a foreign key checked against every existing row).
    public var references: RelationReference?

    public init(
        name: String, type: TypeReference, defaultCalls: [String]? = nil, generatedStored: Bool = false,
        identity: Bool = false, references: RelationReference? = nil
    ) {
        self.name = name
        self.type = type
        self.defaultCalls = defaultCalls
        self.generatedStored = generatedStored
        self.identity = identity
        self.references = references
    }

    /// `serial`, `bigserial`, `smallserial`: a `nextval()` default in disguise.
    public var isSerial: Bool {
        type.schema == nil && ["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"].contains(type.name)
    }
}

/// `ADD [CONSTRAINT name] CHECK | FOREIGN KEY | UNIQUE | PRIMARY KEY ... [NOT VALID]`.
public struct AddedConstraint: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable {
        case check, foreignKey = "foreign key", unique, primaryKey = "primary key", exclusion, other
    }

    public var kind: Kind
    public var name: String?
    /// `NOT VALID`: existing rows are not checked now.
    public var notValid: Bool
    /// `UNIQUE / PRIMARY KEY USING INDEX`: an existing index is attached, nothing is built.
    public var usingIndex: Bool
    /// A foreign key's referenced table (also locked).
    public var referencedTable: RelationReference?
    /// The column of `CHECK (column IS NOT NULL)`, the check that lets `SET NOT NULL` skip its scan.
    public var notNullColumn: String?

    public init(
        kind: Kind, name: String? = nil, notValid: Bool = false, usingIndex: Bool = false,
        referencedTable: RelationReference? = nil, notNullColumn: String? = nil
    ) {
        self.kind = kind
        self.name = name
        self.notValid = notValid
        self.usingIndex = usingIndex
        self.referencedTable = referencedTable
        self.notNullColumn = notNullColumn
    }
}

/// A type name as the parser reads it: `varchar(20)` is `pg_catalog.varchar` with modifier 20,
/// `timestamp with time zone` is `pg_catalog.timestamptz`, `text` is `text`.
public struct TypeReference: Hashable, Sendable, CustomStringConvertible {
    /// The schema when written (the parser adds `pg_catalog` to SQL-standard names).
    public var schema: String?
    public var name: String
    /// Type modifiers: `(20)`, `(10, 2)`; empty when none.
    public var modifiers: [Int]
    /// Array dimensions written (`int[]` is 1).
    public var arrayDepth: Int

    public init(schema: String? = nil, name: String, modifiers: [Int] = [], arrayDepth: Int = 0) {
        self.schema = schema
        self.name = name
        self.modifiers = modifiers
        self.arrayDepth = arrayDepth
    }

    /// `varchar(20)`, `numeric(10,2)[]`: for messages only.
    public var description: String {
        name + (modifiers.isEmpty ? "" : "(\(modifiers.map(String.init).joined(separator: ",")))")
            + String(repeating: "[]", count: arrayDepth)
    }
}
