/// One row of `pg_stat_io` (PostgreSQL 16+): the I/O of one kind of process on one kind of
/// object in one context. Counters the server cannot have for this combination are nil.
public struct IOStats: Codable, Equatable, Sendable {
    /// `client backend`, `checkpointer`, `background writer`, `autovacuum worker`, ...
    public var backendType: String
    /// `relation`, `temp relation`, or (18+) `wal`.
    public var object: String
    /// `normal` (shared buffers), `vacuum`, `bulkread`, `bulkwrite`, or (18+) `init`.
    public var context: String
    public var reads: Int64?
    public var writes: Int64?
    public var writebacks: Int64?
    public var extends: Int64?
    public var hits: Int64?
    public var evictions: Int64?
    public var reuses: Int64?
    public var fsyncs: Int64?
    /// Milliseconds; 0 without `track_io_timing`.
    public var readTime: Double?
    public var writeTime: Double?
    public var fsyncTime: Double?
    public var statsReset: Timestamp?

    public init(
        backendType: String, object: String = "relation", context: String = "normal", reads: Int64? = nil,
        writes: Int64? = nil, writebacks: Int64? = nil, extends: Int64? = nil, hits: Int64? = nil,
        evictions: Int64? = nil, reuses: Int64? = nil, fsyncs: Int64? = nil, readTime: Double? = nil,
        writeTime: Double? = nil, fsyncTime: Double? = nil, statsReset: Timestamp? = nil
    ) {
        self.backendType = backendType
        self.object = object
        self.context = context
        self.reads = reads
        self.writes = writes
        self.writebacks = writebacks
        self.extends = extends
        self.hits = hits
        self.evictions = evictions
        self.reuses = reuses
        self.fsyncs = fsyncs
        self.readTime = readTime
        self.writeTime = writeTime
        self.fsyncTime = fsyncTime
        self.statsReset = statsReset
    }
}
