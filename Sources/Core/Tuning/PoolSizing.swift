/// Connection pool sizing for one machine: the operations runbooks' table of application pool
/// settings per load tier, against the number of connections the cores can serve at once.
public struct PoolSizing: Sendable, Equatable {
    /// CPU cores the sizing is for.
    public var cores: Int
    /// 0 when the active data fits in RAM, else 1 (SSD, NVMe, SAN) or 2 (HDD).
    public var effectiveSpindles: Int
    /// Useful concurrent connections: `cores × 2 + effective spindles` (the PostgreSQL wiki's
    /// "number of database connections" rule); more active connections only queue for CPU.
    public var ceiling: Int
    /// Connections kept free for superusers, replication and maintenance.
    public var headroom: Int
    public var tiers: [PoolTier]

    /// Superuser reserved slots (3), two replication connections, five for migrations,
    /// backups and monitoring.
    public static let defaultHeadroom = 10

    public init(cores: Int, storage: StorageKind, dataSize: DataSize, observedConnections: Int? = nil) {
        let cores = max(1, cores)
        let spindles = dataSize == .lessRAM ? 0 : (storage == .hdd ? 2 : 1)
        let ceiling = cores * 2 + spindles
        let observedTier = observedConnections.map(PoolTier.Load.tier(forConnections:))
        self.cores = cores
        effectiveSpindles = spindles
        self.ceiling = ceiling
        headroom = Self.defaultHeadroom
        tiers = PoolTier.Load.allCases.map { load in
            PoolTier(load: load, ceiling: ceiling, headroom: Self.defaultHeadroom, observed: load == observedTier)
        }
    }
}

/// One row of the pool sizing table.
public struct PoolTier: Sendable, Equatable {
    public enum Load: String, Sendable, CaseIterable {
        case light, normal, heavy, peak

        /// Concurrent users the tier stands for.
        public var users: String {
            switch self {
            case .light: "< 50"
            case .normal: "50–100"
            case .heavy: "100–200"
            case .peak: "200+"
            }
        }

        /// The runbooks' application pool defaults: (pool_size, max_overflow).
        public var applicationPool: (size: Int, overflow: Int) {
            switch self {
            case .light: (10, 5)
            case .normal: (20, 10)
            case .heavy: (30, 20)
            case .peak: (40, 30)
            }
        }

        /// The tier whose application total first holds `connections` client connections.
        public static func tier(forConnections connections: Int) -> Load {
            allCases.first { connections <= $0.applicationPool.size + $0.applicationPool.overflow } ?? .peak
        }
    }

    public var load: Load
    /// Application-side pool (per application, e.g. SQLAlchemy `pool_size` / `max_overflow`).
    public var poolSize: Int
    public var maxOverflow: Int
    /// Connections the application may open: pool_size + max_overflow.
    public var total: Int
    /// true when `total` exceeds the ceiling: the tier should go through PgBouncer.
    public var needsPooler: Bool
    /// max_connections for this tier: the server connections plus headroom.
    public var maxConnections: Int
    /// PgBouncer settings when `needsPooler`.
    public var pgbouncer: PgBouncerSettings?
    /// true when the observed load of the snapshot falls in this tier.
    public var observed: Bool

    public init(load: Load, ceiling: Int, headroom: Int, observed: Bool = false) {
        self.load = load
        poolSize = load.applicationPool.size
        maxOverflow = load.applicationPool.overflow
        total = poolSize + maxOverflow
        needsPooler = total > ceiling
        if needsPooler {
            // Transaction pooling: the server sees at most `ceiling` busy connections; clients
            // may open up to twice the tier's total (rolling deploys run two sets of pools).
            pgbouncer = PgBouncerSettings(poolMode: "transaction", defaultPoolSize: ceiling, maxClientConn: total * 2)
            maxConnections = ceiling + headroom
        } else {
            pgbouncer = nil
            maxConnections = total + headroom
        }
        self.observed = observed
    }
}

/// The PgBouncer settings of a tier that needs a pooler.
public struct PgBouncerSettings: Sendable, Equatable {
    public var poolMode: String
    /// Server connections per database/user pair.
    public var defaultPoolSize: Int
    public var maxClientConn: Int

    public init(poolMode: String, defaultPoolSize: Int, maxClientConn: Int) {
        self.poolMode = poolMode
        self.defaultPoolSize = defaultPoolSize
        self.maxClientConn = maxClientConn
    }
}
