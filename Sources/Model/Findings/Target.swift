/// The object a finding is about.
public enum Target: Hashable, Sendable {
    /// A table, index, sequence or other schema-qualified relation.
    case relation(QualifiedName)
    /// A column of a table.
    case column(QualifiedName, String)
    /// A `pg_stat_statements` entry, by query id (nil when hidden); the text is in the evidence.
    case statement(queryId: Int64?)
    /// A server setting (`pg_settings.name`).
    case setting(String)
    /// A database of the cluster.
    case database(String)
    /// A backend, by process id.
    case session(pid: Int32)
    /// The server as a whole.
    case server

    /// How the target is named in reports: identifiers quoted as PostgreSQL quotes them
    /// (`shop."Order Notes"`), statements by query id.
    public var display: String {
        switch self {
        case .relation(let name): SQLQuoting.qualified(name)
        case .column(let table, let column): SQLQuoting.qualified(table) + "." + SQLQuoting.identifier(column)
        case .statement(let queryId): queryId.map { "query \($0)" } ?? "query (hidden)"
        case .setting(let name): name
        case .database(let name): SQLQuoting.identifier(name)
        case .session(let pid): "pid \(pid)"
        case .server: "server"
        }
    }

    /// The kind of object, as the JSON report names it.
    public var kind: String {
        switch self {
        case .relation: "relation"
        case .column: "column"
        case .statement: "statement"
        case .setting: "setting"
        case .database: "database"
        case .session: "session"
        case .server: "server"
        }
    }
}
