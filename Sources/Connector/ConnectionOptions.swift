/// How to reach the server and how the session behaves once connected.
public struct ConnectionOptions: Sendable, Equatable {
    /// A conninfo string (`host=db1 dbname=app`), a `postgresql://` URI, or nil to let libpq
    /// take everything from `PG*` environment variables, `~/.pgpass` and `pg_service.conf`.
    public var conninfo: String?
    /// `statement_timeout` for every statement, in milliseconds (0 disables it).
    public var statementTimeoutMs: Int
    /// `lock_timeout` for every statement, in milliseconds (0 disables it).
    public var lockTimeoutMs: Int
    /// `application_name`; nil keeps what the connection string or PGAPPNAME say, else `pgadvisor`.
    public var applicationName: String?
    /// Seconds to wait for the connection; nil leaves it to the connection string or PGCONNECT_TIMEOUT.
    public var connectTimeoutSeconds: Int?
    /// Reading sessions set `default_transaction_read_only = on`; only apply mode turns this off.
    public var readOnly: Bool

    public init(
        conninfo: String? = nil, statementTimeoutMs: Int = 30_000, lockTimeoutMs: Int = 2_000,
        applicationName: String? = nil, connectTimeoutSeconds: Int? = 10, readOnly: Bool = true
    ) {
        self.conninfo = conninfo
        self.statementTimeoutMs = statementTimeoutMs
        self.lockTimeoutMs = lockTimeoutMs
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.readOnly = readOnly
    }

    public static let defaultApplicationName = "pgadvisor"
}
