import Model

/// The catalog facts a pre-release review needs beyond a snapshot: which columns a validated
/// `CHECK (column IS NOT NULL)` covers, and which functions a DEFAULT may call are volatile.
public enum ReviewCatalog {
    /// Columns with a validated `CHECK (column IS NOT NULL)`, by table.
    public static func notNullChecks(_ connection: Connection) throws -> [QualifiedName: Set<String>] {
        var found: [QualifiedName: Set<String>] = [:]
        for row in try connection.query(CatalogQueries.named("review/not_null_checks")).rows {
            let table = QualifiedName(schema: try row["schema"].string(), name: try row["table_name"].string())
            found[table, default: []].insert(try row["column_name"].string())
        }
        return found
    }

    /// Of `names` (lower case), each that exists mapped to whether an overload is VOLATILE.
    public static func volatility(of names: [String], _ connection: Connection) throws -> [String: Bool] {
        guard !names.isEmpty else { return [:] }
        var found: [String: Bool] = [:]
        let rows = try connection.query(CatalogQueries.named("review/volatile_functions"),
                                        [Connection.textArray(Array(Set(names)).sorted())]).rows
        for row in rows {
            found[try row["name"].string()] = try row["volatile"].bool()
        }
        return found
    }
}
