/// A schema-qualified relation name, kept unquoted; quoting happens when SQL is rendered.
public struct QualifiedName: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    public static func < (lhs: QualifiedName, rhs: QualifiedName) -> Bool {
        (lhs.schema, lhs.name) < (rhs.schema, rhs.name)
    }

    /// `schema.name` without quoting, for human-readable text only (never for SQL).
    public var description: String { "\(schema).\(name)" }
}
