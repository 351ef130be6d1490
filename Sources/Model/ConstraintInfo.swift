/// A primary key, unique, foreign key or exclusion constraint.
public struct ConstraintInfo: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case primaryKey = "primary key", unique, foreignKey = "foreign key", exclusion
    }

    public var schema: String
    public var name: String
    public var kind: Kind
    public var table: QualifiedName
    /// Constrained columns, in constraint order.
    public var columns: [String]
    /// Foreign keys: the referenced table and columns.
    public var referencedTable: QualifiedName?
    public var referencedColumns: [String]?
    /// Foreign keys: `no action`, `restrict`, `cascade`, `set null`, `set default`.
    public var onUpdate: String?
    public var onDelete: String?
    /// false for a constraint added NOT VALID and not yet validated.
    public var validated: Bool
    public var deferrable: Bool
    /// The index that enforces a primary key, unique or exclusion constraint.
    public var index: String?
    /// `pg_get_constraintdef()`; nil when the table was locked by another session.
    public var definition: String?

    public init(
        schema: String, name: String, kind: Kind, table: QualifiedName, columns: [String],
        referencedTable: QualifiedName? = nil, referencedColumns: [String]? = nil, onUpdate: String? = nil,
        onDelete: String? = nil, validated: Bool = true, deferrable: Bool = false, index: String? = nil,
        definition: String? = ""
    ) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.table = table
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onUpdate = onUpdate
        self.onDelete = onDelete
        self.validated = validated
        self.deferrable = deferrable
        self.index = index
        self.definition = definition
    }
}
