/// One `pg_stat_statements` entry of the current database. Times are in milliseconds.
///
/// Columns that older extension versions lack are nil (`toplevel` before 1.9, temp I/O
/// times and JIT before 1.10, `stats_since` and local I/O times before 1.11, WAL buffer and
/// parallel worker counts before 1.12); the collector maps renamed columns (`total_time`,
/// `blk_read_time`) onto these names. Which columns exist follows the extension version
/// installed in the database, not the server version.
public struct StatementStats: Codable, Equatable, Sendable {
    /// nil when the role may not see this entry (another role's statement).
    public var queryId: Int64?
    public var userName: String?
    /// Normalized text with `$n` placeholders; nil when hidden by privileges.
    public var query: String?
    /// false for statements run inside functions (only tracked with `pg_stat_statements.track = all`).
    public var toplevel: Bool?
    public var calls: Int64
    public var totalExecTime: Double
    public var meanExecTime: Double
    public var minExecTime: Double
    public var maxExecTime: Double
    public var stddevExecTime: Double
    public var plans: Int64?
    public var totalPlanTime: Double?
    public var rows: Int64
    public var sharedBlocksHit: Int64
    public var sharedBlocksRead: Int64
    public var sharedBlocksDirtied: Int64
    public var sharedBlocksWritten: Int64
    public var localBlocksHit: Int64
    public var localBlocksRead: Int64
    public var localBlocksDirtied: Int64
    public var localBlocksWritten: Int64
    public var tempBlocksRead: Int64
    public var tempBlocksWritten: Int64
    /// Shared block read/write time (`blk_read_time`, or `shared_blk_read_time` from 1.11); 0 without track_io_timing.
    public var sharedBlockReadTime: Double
    public var sharedBlockWriteTime: Double
    public var tempBlockReadTime: Double?
    public var tempBlockWriteTime: Double?
    public var walBytes: Double?
    /// Local (temporary table) block read/write time (1.11+).
    public var localBlockReadTime: Double?
    public var localBlockWriteTime: Double?
    /// Functions JIT-compiled, and the time spent compiling them (generation, inlining,
    /// optimization, emission and, from 1.11, deforming) (1.10+).
    public var jitFunctions: Int64?
    public var jitTime: Double?
    /// When this entry's counters started (its creation or its own reset) (1.11+).
    public var statsSince: Timestamp?
    /// When min/max times were last reset (1.11+).
    public var minmaxStatsSince: Timestamp?
    /// Times the WAL buffers were full and had to be written out (1.12+).
    public var walBuffersFull: Int64?
    /// Parallel workers the plans wanted, and those actually launched (1.12+).
    public var parallelWorkersToLaunch: Int64?
    public var parallelWorkersLaunched: Int64?
    /// Executions with a generic or a custom cached plan (versions that have these columns).
    public var genericPlanCalls: Int64?
    public var customPlanCalls: Int64?

    public init(
        queryId: Int64?, userName: String? = nil, query: String?, toplevel: Bool? = true, calls: Int64,
        totalExecTime: Double, meanExecTime: Double? = nil, minExecTime: Double = 0, maxExecTime: Double = 0,
        stddevExecTime: Double = 0, plans: Int64? = nil, totalPlanTime: Double? = nil, rows: Int64 = 0,
        sharedBlocksHit: Int64 = 0, sharedBlocksRead: Int64 = 0, sharedBlocksDirtied: Int64 = 0,
        sharedBlocksWritten: Int64 = 0, localBlocksHit: Int64 = 0, localBlocksRead: Int64 = 0,
        localBlocksDirtied: Int64 = 0, localBlocksWritten: Int64 = 0, tempBlocksRead: Int64 = 0,
        tempBlocksWritten: Int64 = 0, sharedBlockReadTime: Double = 0, sharedBlockWriteTime: Double = 0,
        tempBlockReadTime: Double? = nil, tempBlockWriteTime: Double? = nil, walBytes: Double? = nil,
        statsSince: Timestamp? = nil
    ) {
        self.statsSince = statsSince
        self.queryId = queryId
        self.userName = userName
        self.query = query
        self.toplevel = toplevel
        self.calls = calls
        self.totalExecTime = totalExecTime
        self.meanExecTime = meanExecTime ?? (calls > 0 ? totalExecTime / Double(calls) : 0)
        self.minExecTime = minExecTime
        self.maxExecTime = maxExecTime
        self.stddevExecTime = stddevExecTime
        self.plans = plans
        self.totalPlanTime = totalPlanTime
        self.rows = rows
        self.sharedBlocksHit = sharedBlocksHit
        self.sharedBlocksRead = sharedBlocksRead
        self.sharedBlocksDirtied = sharedBlocksDirtied
        self.sharedBlocksWritten = sharedBlocksWritten
        self.localBlocksHit = localBlocksHit
        self.localBlocksRead = localBlocksRead
        self.localBlocksDirtied = localBlocksDirtied
        self.localBlocksWritten = localBlocksWritten
        self.tempBlocksRead = tempBlocksRead
        self.tempBlocksWritten = tempBlocksWritten
        self.sharedBlockReadTime = sharedBlockReadTime
        self.sharedBlockWriteTime = sharedBlockWriteTime
        self.tempBlockReadTime = tempBlockReadTime
        self.tempBlockWriteTime = tempBlockWriteTime
        self.walBytes = walBytes
    }

    /// Time spent in block I/O (shared, local and temporary reads and writes), in ms; 0 without
    /// `track_io_timing`.
    public var ioTime: Double {
        sharedBlockReadTime + sharedBlockWriteTime + (localBlockReadTime ?? 0) + (localBlockWriteTime ?? 0)
            + (tempBlockReadTime ?? 0) + (tempBlockWriteTime ?? 0)
    }

    /// Shared buffer hit ratio in 0...1, nil when the statement touched no shared blocks.
    public var sharedHitRatio: Double? {
        let total = sharedBlocksHit + sharedBlocksRead
        return total > 0 ? Double(sharedBlocksHit) / Double(total) : nil
    }

    /// hypopg's lookup of a free OID, which it runs for every hypothetical index pgadvisor's
    /// what-if costing creates.
    public static let hypopgOidLookup = "SELECT max(oid) FROM pg_catalog.pg_class WHERE oid < $1"

    /// The comment pgadvisor puts after the first keyword of every statement of its own (those
    /// starting `-- pgadvisor:`), e.g. `SELECT /* pgadvisor */ ...`: unlike a leading comment, it survives in
    /// pg_stat_statements 1.12 (PostgreSQL 18), which keeps a text from its first keyword.
    public static let pgadvisorMarker = "/* pgadvisor */"

    /// true for statements pgadvisor causes: its own (marked, or starting `-- pgadvisor:` as
    /// before PostgreSQL 18) and hypopg's OID lookup. The collector leaves them out; snapshots
    /// written before it did may hold them.
    public var isCausedByPgadvisor: Bool {
        guard let query else { return false }
        return query.hasPrefix("-- pgadvisor:") || query == Self.hypopgOidLookup || Self.startsMarked(query)
    }

    /// Whether the marker follows the first keyword (after leading `--` comment lines).
    static func startsMarked(_ query: String) -> Bool {
        var text = Substring(query)
        while true {
            text = text.drop { $0.isWhitespace }
            guard text.hasPrefix("--") else { break }
            text = text.drop { $0 != "\n" }
        }
        let keyword = text.prefix { $0.isLetter }
        return !keyword.isEmpty && text.dropFirst(keyword.count).hasPrefix(" " + pgadvisorMarker)
    }
}

/// Facts about the `pg_stat_statements` source as a whole.
public struct StatementsInfo: Codable, Equatable, Sendable {
    /// Installed extension version (`pg_extension.extversion`), e.g. "1.10".
    public var extensionVersion: String
    /// `pg_stat_statements.track`: `top`, `all` or `none`.
    public var track: String?
    /// Entries evicted since the last reset (`pg_stat_statements_info.dealloc`, 1.9+).
    public var deallocations: Int64?
    /// When the statistics were last reset (`pg_stat_statements_info.stats_reset`, 1.9+).
    public var statsReset: Timestamp?
    /// Entries of the current database whose text the role may not see.
    public var hiddenEntries: Int

    public init(
        extensionVersion: String, track: String? = nil, deallocations: Int64? = nil, statsReset: Timestamp? = nil,
        hiddenEntries: Int = 0
    ) {
        self.extensionVersion = extensionVersion
        self.track = track
        self.deallocations = deallocations
        self.statsReset = statsReset
        self.hiddenEntries = hiddenEntries
    }
}
