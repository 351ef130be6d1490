/// A lock request that is waiting, with the sessions that block it (`pg_blocking_pids()`).
public struct LockWait: Codable, Equatable, Sendable {
    public var pid: Int32
    /// `relation`, `transactionid`, `tuple`, `advisory`, `object`, ...
    public var lockType: String
    /// The requested mode, e.g. `AccessShareLock`.
    public var mode: String
    /// The relation waited on, when it is one of the current database.
    public var relation: QualifiedName?
    /// Since when the request waits (`pg_locks.waitstart`, PostgreSQL 14+).
    public var waitStart: Timestamp?
    /// Sessions holding (or queued ahead with) a conflicting lock; 0 stands for a prepared transaction.
    public var blockingPids: [Int32]
    /// Modes the blocking sessions hold on the same object.
    public var blockerModes: [String]

    public init(
        pid: Int32, lockType: String, mode: String, relation: QualifiedName? = nil, waitStart: Timestamp? = nil,
        blockingPids: [Int32], blockerModes: [String] = []
    ) {
        self.pid = pid
        self.lockType = lockType
        self.mode = mode
        self.relation = relation
        self.waitStart = waitStart
        self.blockingPids = blockingPids
        self.blockerModes = blockerModes
    }
}
