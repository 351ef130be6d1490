import Model
import QueryParser

/// Resolves names as written in a statement to the snapshot's tables and columns, following
/// the server's `search_path` (with `"$user"` as the snapshot's role).
struct CatalogResolver {
    private let tables: [QualifiedName: TableInfo]
    private let searchPath: [String]

    init(_ snapshot: Snapshot) {
        var tables: [QualifiedName: TableInfo] = [:]
        for table in snapshot.tables { tables[table.qualifiedName] = table }
        self.tables = tables
        let raw = snapshot.setting("search_path")?.value ?? "\"$user\", public"
        searchPath = SettingList.entries(raw, foldingCase: true).map { $0 == "$user" ? snapshot.role.name : $0 }
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
