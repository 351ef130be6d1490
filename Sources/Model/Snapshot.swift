/// Everything pgadvisor knows about one database at one moment: the seam between collection
/// (which needs a server) and analysis (which does not).
///
/// A snapshot is written to and read from JSON (`Snapshot+JSON.swift`). Fields that later
/// versions add are optional, so older snapshots stay readable; `schemaVersion` goes up only
/// when a change would make an older reader misunderstand a newer file.
public struct Snapshot: Codable, Equatable, Sendable {
    /// The schema version this build writes and the newest it reads.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The program that wrote it, e.g. `pgadvisor 0.1.0`.
    public var generator: String
    /// Server time when collection started.
    public var collectedAt: Timestamp
    public var server: ServerInfo
    public var role: RoleInfo
    /// All of `pg_settings`, sorted by name.
    public var settings: [Setting]
    /// Installed and available extensions, sorted by name.
    public var extensions: [ExtensionInfo]
    /// `pg_stat_statements` of the current database, by total execution time descending.
    public var statements: [StatementStats]
    public var statementsInfo: StatementsInfo?
    public var tables: [TableInfo]
    public var indexes: [IndexInfo]
    public var columnStats: [ColumnStats]
    public var constraints: [ConstraintInfo]
    public var sequences: [SequenceInfo]
    public var sessions: [SessionInfo]
    public var lockWaits: [LockWait]
    public var database: DatabaseStats?
    public var databases: [DatabaseAge]
    public var checkpoints: CheckpointStats?
    /// `pg_db_role_setting` rows that apply in this database; nil in snapshots written before
    /// they were collected.
    public var roleSettings: [RoleSetting]?
    /// `pg_stat_io` rows with any activity (PostgreSQL 16+); nil when not collected (older
    /// servers, or snapshots written before it was).
    public var io: [IOStats]? = nil
    /// One entry per source, collected or not, with the reason.
    public var sources: [SourceStatus]

    public init(
        schemaVersion: Int = Snapshot.currentSchemaVersion, generator: String = "pgadvisor",
        collectedAt: Timestamp, server: ServerInfo, role: RoleInfo, settings: [Setting] = [],
        extensions: [ExtensionInfo] = [], statements: [StatementStats] = [], statementsInfo: StatementsInfo? = nil,
        tables: [TableInfo] = [], indexes: [IndexInfo] = [], columnStats: [ColumnStats] = [],
        constraints: [ConstraintInfo] = [], sequences: [SequenceInfo] = [], sessions: [SessionInfo] = [],
        lockWaits: [LockWait] = [], database: DatabaseStats? = nil, databases: [DatabaseAge] = [],
        checkpoints: CheckpointStats? = nil, roleSettings: [RoleSetting]? = nil, sources: [SourceStatus] = []
    ) {
        self.roleSettings = roleSettings
        self.schemaVersion = schemaVersion
        self.generator = generator
        self.collectedAt = collectedAt
        self.server = server
        self.role = role
        self.settings = settings
        self.extensions = extensions
        self.statements = statements
        self.statementsInfo = statementsInfo
        self.tables = tables
        self.indexes = indexes
        self.columnStats = columnStats
        self.constraints = constraints
        self.sequences = sequences
        self.sessions = sessions
        self.lockWaits = lockWaits
        self.database = database
        self.databases = databases
        self.checkpoints = checkpoints
        self.sources = sources
    }

    public func setting(_ name: String) -> Setting? {
        settings.first { $0.name == name }
    }

    public func `extension`(_ name: String) -> ExtensionInfo? {
        extensions.first { $0.name == name }
    }

    public func source(_ name: String) -> SourceStatus? {
        sources.first { $0.name == name }
    }

    public func table(_ name: QualifiedName) -> TableInfo? {
        tables.first { $0.schema == name.schema && $0.name == name.name }
    }

    public func indexes(on table: QualifiedName) -> [IndexInfo] {
        indexes.filter { $0.table == table }
    }
}
