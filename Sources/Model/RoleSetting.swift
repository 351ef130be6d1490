/// One parameter set with `ALTER ROLE ... SET` or `ALTER DATABASE ... SET` (`pg_db_role_setting`)
/// that applies in the audited database: for one role or all, in this database or all.
public struct RoleSetting: Codable, Equatable, Sendable {
    /// The database, nil for every database (`ALTER ROLE r SET`).
    public var database: String?
    /// The role, nil for every role (`ALTER DATABASE d SET`).
    public var role: String?
    public var name: String
    /// The value as stored (as written: `30s`, or a number in the parameter's unit).
    public var value: String

    public init(database: String? = nil, role: String? = nil, name: String, value: String) {
        self.database = database
        self.role = role
        self.name = name
        self.value = value
    }
}
