import Model
import QueryParser

/// Resolves names as written in a statement to the snapshot's tables and columns, following
/// the server's `search_path` (with `"$user"` as the snapshot's role).
struct CatalogResolver {
    private let tables: [QualifiedName: TableInfo]
    private let searchPath: [String]

    init(_ snapshot: Snapshot, facts: SnapshotFacts) {
        var tables: [QualifiedName: TableInfo] = [:]
        for table in snapshot.tables { tables[table.qualifiedName] = table }
        self.tables = tables
        let raw = snapshot.setting("search_path")?.value ?? "\"$user\", public"
        searchPath = Self.schemas(raw).map { $0 == "$user" ? snapshot.role.name : $0 }
    }

    /// The schemas of a `search_path` value as the server reads it: comma-separated
    /// identifiers, folded to lower case unless double-quoted (`App, "Tenant A"` → `app`,
    /// `Tenant A`).
    static func schemas(_ value: String) -> [String] {
        var schemas: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(value)[...]
        while let c = chars.popFirst() {
            if c == "\"" {
                if quoted && chars.first == "\"" {
                    current.append("\"")
                    chars.removeFirst()
                } else {
                    quoted.toggle()
                }
            } else if c == "," && !quoted {
                schemas.append(current)
                current = ""
            } else if !quoted && c.isWhitespace {
                continue
            } else {
                current.append(quoted ? c : Character(c.lowercased()))
            }
        }
        schemas.append(current)
        return schemas.filter { !$0.isEmpty }
    }

    /// The table a FROM entry names, or nil (a view, a catalog or temporary table, a table
    /// created after the snapshot).
    func table(_ reference: RelationReference) -> TableInfo? {
        if let schema = reference.schema {
            return tables[QualifiedName(schema: schema, name: reference.name)]
        }
        for schema in searchPath {
            if let table = tables[QualifiedName(schema: schema, name: reference.name)] { return table }
        }
        return nil
    }
}
