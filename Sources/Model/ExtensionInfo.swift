/// An extension that is installed in the database or available on the server.
public struct ExtensionInfo: Codable, Equatable, Sendable {
    public var name: String
    /// The version created in this database; nil when not created.
    public var installedVersion: String?
    /// The version `CREATE EXTENSION` would install; nil when the server lacks the files.
    public var defaultVersion: String?
    /// The schema it was created in.
    public var schema: String?

    public init(name: String, installedVersion: String? = nil, defaultVersion: String? = nil, schema: String? = nil) {
        self.name = name
        self.installedVersion = installedVersion
        self.defaultVersion = defaultVersion
        self.schema = schema
    }

    public var isInstalled: Bool { installedVersion != nil }
    public var isAvailable: Bool { defaultVersion != nil || installedVersion != nil }
}
