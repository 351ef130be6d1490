import Model
import QueryParser

/// Resolves names as written in a statement to the snapshot's tables and columns, following
/// the `search_path` of the role that runs the workload (its ALTER ROLE / ALTER DATABASE value,
/// else the server's), with `"$user"` as that role (the snapshot's role when none is known).
struct CatalogResolver {
    private let tables: [QualifiedName: TableInfo]
    private let searchPath: [String]

    init(_ snapshot: Snapshot) {
        var tables: [QualifiedName: TableInfo] = [:]
        for table in snapshot.tables { tables[table.qualifiedName] = table }
        self.tables = tables
        let workloadRole = RoleSettings.workloadRole(snapshot)
        let raw = RoleSettings(snapshot).value("search_path", role: workloadRole)
            ?? snapshot.setting("search_path")?.value ?? "\"$user\", public"
        let user = workloadRole ?? snapshot.role.name
        searchPath = SettingList.entries(raw, foldingCase: true).map { $0 == "$user" ? user : $0 }
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
