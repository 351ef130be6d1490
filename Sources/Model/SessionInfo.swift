/// One backend from `pg_stat_activity` (all databases; pgadvisor's own session excluded).
public struct SessionInfo: Codable, Equatable, Sendable {
    public var pid: Int32
    public var database: String?
    public var user: String?
    public var applicationName: String?
    public var clientAddress: String?
    /// `client backend`, `autovacuum worker`, `walsender`, `checkpointer`, ...
    public var backendType: String?
    /// `active`, `idle`, `idle in transaction`, `idle in transaction (aborted)`, ...; nil when hidden.
    public var state: String?
    public var backendStart: Timestamp?
    public var transactionStart: Timestamp?
    public var queryStart: Timestamp?
    public var stateChange: Timestamp?
    public var waitEventType: String?
    public var waitEvent: String?
    /// `age(backend_xid)` and `age(backend_xmin)`: how far this session holds back the xmin horizon.
    public var xidAge: Int64?
    public var xminAge: Int64?
    /// Parallel workers point at their leader.
    public var leaderPid: Int32?
    public var queryId: Int64?
    /// The current (or, when idle, last) statement; nil when the role may not see it.
    public var query: String?

    public init(
        pid: Int32, database: String? = nil, user: String? = nil, applicationName: String? = nil,
        clientAddress: String? = nil, backendType: String? = "client backend", state: String? = nil,
        backendStart: Timestamp? = nil, transactionStart: Timestamp? = nil, queryStart: Timestamp? = nil,
        stateChange: Timestamp? = nil, waitEventType: String? = nil, waitEvent: String? = nil, xidAge: Int64? = nil,
        xminAge: Int64? = nil, leaderPid: Int32? = nil, queryId: Int64? = nil, query: String? = nil
    ) {
        self.pid = pid
        self.database = database
        self.user = user
        self.applicationName = applicationName
        self.clientAddress = clientAddress
        self.backendType = backendType
        self.state = state
        self.backendStart = backendStart
        self.transactionStart = transactionStart
        self.queryStart = queryStart
        self.stateChange = stateChange
        self.waitEventType = waitEventType
        self.waitEvent = waitEvent
        self.xidAge = xidAge
        self.xminAge = xminAge
        self.leaderPid = leaderPid
        self.queryId = queryId
        self.query = query
    }
}
