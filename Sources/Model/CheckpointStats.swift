/// Checkpoint and background writer counters, from `pg_stat_bgwriter` (up to PostgreSQL 16)
/// or `pg_stat_checkpointer` (17+), under one set of names.
public struct CheckpointStats: Codable, Equatable, Sendable {
    /// The view the checkpoint counters came from.
    public var source: String
    /// Checkpoints started by `checkpoint_timeout`.
    public var timed: Int64
    /// Checkpoints requested (WAL volume reached `max_wal_size`, or an explicit CHECKPOINT).
    public var requested: Int64
    public var writeTime: Double
    public var syncTime: Double
    /// Buffers written by checkpoints.
    public var buffersWritten: Int64
    /// Buffers written by the background writer.
    public var buffersClean: Int64
    public var maxWrittenClean: Int64
    /// Buffers written directly by backends (up to PostgreSQL 16).
    public var buffersBackend: Int64?
    public var buffersAllocated: Int64
    public var statsReset: Timestamp?

    public init(
        source: String = "pg_stat_bgwriter", timed: Int64 = 0, requested: Int64 = 0, writeTime: Double = 0,
        syncTime: Double = 0, buffersWritten: Int64 = 0, buffersClean: Int64 = 0, maxWrittenClean: Int64 = 0,
        buffersBackend: Int64? = nil, buffersAllocated: Int64 = 0, statsReset: Timestamp? = nil
    ) {
        self.source = source
        self.timed = timed
        self.requested = requested
        self.writeTime = writeTime
        self.syncTime = syncTime
        self.buffersWritten = buffersWritten
        self.buffersClean = buffersClean
        self.maxWrittenClean = maxWrittenClean
        self.buffersBackend = buffersBackend
        self.buffersAllocated = buffersAllocated
        self.statsReset = statsReset
    }
}
