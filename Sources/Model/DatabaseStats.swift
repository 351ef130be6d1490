/// `pg_stat_database` counters of the current database, since `statsReset`.
public struct DatabaseStats: Codable, Equatable, Sendable {
    public var name: String
    /// `pg_database_size()`.
    public var sizeBytes: Int64?
    public var backends: Int
    public var commits: Int64
    public var rollbacks: Int64
    public var blocksRead: Int64
    public var blocksHit: Int64
    public var tuplesReturned: Int64
    public var tuplesFetched: Int64
    public var tuplesInserted: Int64
    public var tuplesUpdated: Int64
    public var tuplesDeleted: Int64
    public var conflicts: Int64
    public var tempFiles: Int64
    public var tempBytes: Int64
    public var deadlocks: Int64
    public var blockReadTime: Double
    public var blockWriteTime: Double
    public var statsReset: Timestamp?

    public init(
        name: String, sizeBytes: Int64? = nil, backends: Int = 0, commits: Int64 = 0, rollbacks: Int64 = 0,
        blocksRead: Int64 = 0, blocksHit: Int64 = 0, tuplesReturned: Int64 = 0, tuplesFetched: Int64 = 0,
        tuplesInserted: Int64 = 0, tuplesUpdated: Int64 = 0, tuplesDeleted: Int64 = 0, conflicts: Int64 = 0,
        tempFiles: Int64 = 0, tempBytes: Int64 = 0, deadlocks: Int64 = 0, blockReadTime: Double = 0,
        blockWriteTime: Double = 0, statsReset: Timestamp? = nil
    ) {
        self.name = name
        self.sizeBytes = sizeBytes
        self.backends = backends
        self.commits = commits
        self.rollbacks = rollbacks
        self.blocksRead = blocksRead
        self.blocksHit = blocksHit
        self.tuplesReturned = tuplesReturned
        self.tuplesFetched = tuplesFetched
        self.tuplesInserted = tuplesInserted
        self.tuplesUpdated = tuplesUpdated
        self.tuplesDeleted = tuplesDeleted
        self.conflicts = conflicts
        self.tempFiles = tempFiles
        self.tempBytes = tempBytes
        self.deadlocks = deadlocks
        self.blockReadTime = blockReadTime
        self.blockWriteTime = blockWriteTime
        self.statsReset = statsReset
    }

    /// Shared buffer hit ratio in 0...1; nil before any block was read.
    public var hitRatio: Double? {
        let total = blocksHit + blocksRead
        return total > 0 ? Double(blocksHit) / Double(total) : nil
    }
}

/// Transaction ID and multixact age of one database of the cluster (wraparound is cluster-wide).
public struct DatabaseAge: Codable, Equatable, Sendable {
    public var name: String
    /// `age(datfrozenxid)`.
    public var frozenXidAge: Int64
    /// `mxid_age(datminmxid)`.
    public var minMultixactAge: Int64
    public var allowsConnections: Bool
    public var isTemplate: Bool

    public init(
        name: String, frozenXidAge: Int64, minMultixactAge: Int64 = 0, allowsConnections: Bool = true,
        isTemplate: Bool = false
    ) {
        self.name = name
        self.frozenXidAge = frozenXidAge
        self.minMultixactAge = minMultixactAge
        self.allowsConnections = allowsConnections
        self.isTemplate = isTemplate
    }
}
