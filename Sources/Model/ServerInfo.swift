/// The server and database a snapshot was taken from.
public struct ServerInfo: Codable, Equatable, Sendable {
    /// `server_version_num`, e.g. 150018.
    public var versionNumber: Int
    /// `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)".
    public var version: String
    /// `version()`: the build line, which names the platform.
    public var versionDetail: String
    public var database: String
    public var inRecovery: Bool
    public var startedAt: Timestamp?
    public var blockSize: Int
    /// `pg_control_system().system_identifier`: the cluster's identity (shared by its physical
    /// standbys, new after initdb). nil when the role may not read it, and in snapshots written
    /// before it was collected.
    public var systemIdentifier: String?

    public init(
        versionNumber: Int, version: String, versionDetail: String = "", database: String,
        inRecovery: Bool = false, startedAt: Timestamp? = nil, blockSize: Int = 8192, systemIdentifier: String? = nil
    ) {
        self.systemIdentifier = systemIdentifier
        self.versionNumber = versionNumber
        self.version = version
        self.versionDetail = versionDetail
        self.database = database
        self.inRecovery = inRecovery
        self.startedAt = startedAt
        self.blockSize = blockSize
    }

    /// The major version: 15 for 150018, 9 for 90624.
    public var majorVersion: Int { versionNumber / 10_000 }
}

/// The role the snapshot was collected as, and what it may see.
public struct RoleInfo: Codable, Equatable, Sendable {
    public var name: String
    public var isSuperuser: Bool
    public var pgMonitor: Bool
    public var pgReadAllStats: Bool
    public var pgReadAllData: Bool
    public var pgStatScanTables: Bool

    public init(
        name: String, isSuperuser: Bool = false, pgMonitor: Bool = false, pgReadAllStats: Bool = false,
        pgReadAllData: Bool = false, pgStatScanTables: Bool = false
    ) {
        self.name = name
        self.isSuperuser = isSuperuser
        self.pgMonitor = pgMonitor
        self.pgReadAllStats = pgReadAllStats
        self.pgReadAllData = pgReadAllData
        self.pgStatScanTables = pgStatScanTables
    }

    /// Whether other roles' statements and sessions are fully visible.
    public var seesAllStatistics: Bool { isSuperuser || pgReadAllStats || pgMonitor }
}
