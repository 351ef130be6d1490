import CLibPQ
import Foundation

/// A libpq connection. Every libpq call of pgadvisor lives in this file; no libpq pointer
/// leaves it.
///
/// Reading sessions (the default) are read-only and run every statement under
/// `statement_timeout` and `lock_timeout`, so an audit can neither change data nor queue behind
/// the application's locks for long. Statements run one at a time in autocommit mode: any lock a
/// catalog function takes is released as soon as that statement ends.
public final class Connection {
    private var handle: OpaquePointer?
    private let redactor: Redactor
    public let options: ConnectionOptions
    /// Values of the settings this session overrides, as the server had them at connection
    /// time (role, database and configuration-file values), keyed by setting name.
    public private(set) var sessionDefaults: [String: SessionDefault] = [:]

    /// A setting's value and source before pgadvisor changed it for its own session.
    public struct SessionDefault: Sendable, Equatable {
        public var value: String
        public var source: String
    }

    private init(handle: OpaquePointer, redactor: Redactor, options: ConnectionOptions) {
        self.handle = handle
        self.redactor = redactor
        self.options = options
    }

    deinit { close() }

    /// Connects as psql would, then applies the session settings of `options`.
    public static func open(
        _ options: ConnectionOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Connection {
        let conninfo = options.conninfo.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        let redactor = Redactor(conninfo: conninfo, environment: environment)
        if let conninfo {
            try validate(conninfo, redactor: redactor)
        }

        var keywords: [String] = []
        var values: [String] = []
        // Defaults first: the connection string (expanded from dbname) overrides them.
        if let seconds = options.connectTimeoutSeconds, environment["PGCONNECT_TIMEOUT"] == nil {
            keywords.append("connect_timeout")
            values.append(String(seconds))
        }
        keywords.append("fallback_application_name")
        values.append(ConnectionOptions.defaultApplicationName)
        if let conninfo {
            keywords.append("dbname")
            values.append(conninfo)
        }
        // Overrides last: they win over the connection string.
        if let name = options.applicationName {
            keywords.append("application_name")
            values.append(name)
        }
        keywords.append("client_encoding")
        values.append("UTF8")

        let raw: OpaquePointer? = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let raw else {
            throw ConnectorError(kind: .connection, message: "could not allocate a connection",
                                 advice: "the machine is out of memory")
        }
        guard PQstatus(raw) == CONNECTION_OK else {
            let message = redactor.redact(Self.failureText(String(cString: PQerrorMessage(raw))))
            PQfinish(raw)
            throw ConnectorError(kind: .connection, message: message.isEmpty ? "connection failed" : message,
                                 advice: ConnectionAdvice.forFailure(message))
        }
        PQsetNoticeProcessor(raw, { _, _ in }, nil)
        let connection = Connection(handle: raw, redactor: redactor, options: options)
        try connection.applySessionSettings()
        return connection
    }

    /// Checks the connection string's syntax before connecting, so a typo is reported as such.
    private static func validate(_ conninfo: String, redactor: Redactor) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let parsed = PQconninfoParse(conninfo, &errorMessage)
        defer {
            if let parsed { PQconninfoFree(parsed) }
            if let errorMessage { PQfreemem(errorMessage) }
        }
        if parsed == nil {
            let detail = errorMessage.map { String(cString: $0).singleLine } ?? "unreadable"
            throw ConnectorError(
                kind: .connection, message: "invalid connection string: " + redactor.redact(detail),
                advice: "use a conninfo string such as 'host=db1 dbname=app user=me' or a URI such as "
                    + "postgresql://me@db1:5432/app (see 'pgadvisor --help')")
        }
    }

    private func applySessionSettings() throws {
        var settings: [(String, String)] = [
            ("statement_timeout", String(options.statementTimeoutMs)),
            ("lock_timeout", String(options.lockTimeoutMs)),
            ("DateStyle", "ISO, MDY"),
            ("TimeZone", "UTC"),
            ("IntervalStyle", "postgres"),
            ("extra_float_digits", "3"),
        ]
        if options.readOnly {
            settings.append(("default_transaction_read_only", "on"))
        }
        let names = settings.map(\.0)
        let before = try query(
            "-- pgadvisor: session setup\nSELECT name, setting, source FROM pg_catalog.pg_settings WHERE name = ANY($1::text[])",
            [Connection.textArray(names)])
        for row in before.rows {
            let name = try row["name"].string()
            sessionDefaults[name] = SessionDefault(value: try row["setting"].string(), source: try row["source"].string())
        }
        let calls = settings.indices.map { "pg_catalog.set_config($\($0 * 2 + 1), $\($0 * 2 + 2), false)" }
        _ = try query("-- pgadvisor: session setup\nSELECT " + calls.joined(separator: ", "), settings.flatMap { [$0.0, $0.1] })
    }

    /// `{"a","b"}`: a text[] literal for a bind parameter.
    static func textArray(_ values: [String]) -> String {
        let quoted = values.map { value -> String in
            let escaped = value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            return "\"" + escaped + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// `user@host:port/database`, for messages (never contains a password).
    public var target: String {
        guard let handle else { return "closed connection" }
        let user = PQuser(handle).map { String(cString: $0) } ?? "?"
        let host = PQhost(handle).map { String(cString: $0) } ?? "?"
        let port = PQport(handle).map { String(cString: $0) } ?? "?"
        let database = PQdb(handle).map { String(cString: $0) } ?? "?"
        return "\(user)@\(host):\(port)/\(database)"
    }

    /// Whether the server runs on this machine: reached through a Unix socket or a loopback address.
    public var isLocal: Bool {
        guard let handle, let host = PQhost(handle).map({ String(cString: $0) }) else { return false }
        return host.hasPrefix("/") || host.hasPrefix("@") || ["localhost", "127.0.0.1", "::1"].contains(host)
    }

    /// The backend process id of this session.
    public var backendPid: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// libpq's connection failure on one line: its lines joined by "; ", without its own hint
    /// ("Is the server running ...?"), which the advice replaces.
    static func failureText(_ text: String) -> String {
        text.split(separator: "\n").map { $0.singleLine }.filter { !$0.isEmpty && !$0.hasPrefix("Is the server running") }
            .joined(separator: "; ")
    }

    /// Runs one statement with text parameters bound as `$1, $2, ...` (never interpolated).
    /// A statement starting with pgadvisor's `-- pgadvisor:` comment is marked as pgadvisor's
    /// (`StatementMarker`), so it is left out of the workload read from pg_stat_statements.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        guard let handle else {
            throw ConnectorError(kind: .connection, message: "the connection is closed")
        }
        let marked = StatementMarker.mark(sql)
        let result: OpaquePointer? = withOptionalCStringArray(parameters) { pointers in
            PQexecParams(handle, marked, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try rows(of: result, handle: handle)
    }

    /// Runs one statement whose `$n` placeholders stay unbound, as `EXPLAIN (GENERIC_PLAN)`
    /// (PostgreSQL 16+) needs: through the extended protocol (`query`) every placeholder must be
    /// bound, and the planner would plan for the bound values. The server first parses `sql` as
    /// the unnamed prepared statement, which refuses more than one statement; only then is it
    /// sent through the simple query protocol.
    @discardableResult
    public func queryUnbound(_ sql: String) throws -> QueryResult {
        guard let handle else {
            throw ConnectorError(kind: .connection, message: "the connection is closed")
        }
        let marked = StatementMarker.mark(sql)
        _ = try rows(of: PQprepare(handle, "", marked, 0, nil), handle: handle)
        return try rows(of: PQexec(handle, marked), handle: handle)
    }

    /// The rows of one libpq result (cleared here), or the error it carries.
    private func rows(of result: OpaquePointer?, handle: OpaquePointer) throws -> QueryResult {
        guard let result else {
            let message = redactor.redact(String(cString: PQerrorMessage(handle)).singleLine)
            throw ConnectorError(kind: .connection, message: message.isEmpty ? "the server closed the connection" : message,
                                 advice: "check the server log; reconnect and try again")
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw error(from: result)
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [String] = []
        columns.reserveCapacity(columnCount)
        for c in 0..<columnCount {
            columns.append(String(cString: PQfname(result, Int32(c))))
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row: [String?] = []
            row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    row.append(nil)
                } else {
                    row.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
            rows.append(row)
        }
        return QueryResult(columns: columns, rows: rows)
    }

    /// Runs one statement like `query`, but hands its rows to `body` in chunks of at most
    /// `chunkSize` as they arrive (libpq's single-row mode), so a large result is never held
    /// whole, neither by libpq nor as text. Returns the number of rows.
    @discardableResult
    public func forEachChunk(
        _ sql: String, _ parameters: [String?] = [], chunkSize: Int = 1000, _ body: (QueryResult) throws -> Void
    ) throws -> Int {
        guard let handle else {
            throw ConnectorError(kind: .connection, message: "the connection is closed")
        }
        let marked = StatementMarker.mark(sql)
        let sent = withOptionalCStringArray(parameters) { pointers in
            PQsendQueryParams(handle, marked, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else {
            let message = redactor.redact(String(cString: PQerrorMessage(handle)).singleLine)
            throw ConnectorError(kind: .connection, message: message.isEmpty ? "the server closed the connection" : message,
                                 advice: "check the server log; reconnect and try again")
        }
        PQsetSingleRowMode(handle)
        var reader = ChunkReader(chunkSize: chunkSize)
        var failure: Error?
        // Every result is read to the end, even after a failure, so the connection stays usable.
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            guard failure == nil else { continue }
            let status = PQresultStatus(result)
            guard status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
                failure = error(from: result)
                continue
            }
            do {
                try reader.take(result, final: status != PGRES_SINGLE_TUPLE, body)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if PQstatus(handle) != CONNECTION_OK {
            throw ConnectorError(kind: .connection, message: "the server closed the connection",
                                 advice: "check the server log; reconnect and try again")
        }
        return reader.rowCount
    }

    /// Runs `body` inside BEGIN ... COMMIT (ROLLBACK when it throws).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("-- pgadvisor: transaction\nBEGIN")
        do {
            let value = try body()
            try query("-- pgadvisor: transaction\nCOMMIT")
            return value
        } catch {
            _ = try? query("-- pgadvisor: transaction\nROLLBACK")
            throw error
        }
    }

    private func error(from result: OpaquePointer) -> ConnectorError {
        func field(_ code: Character) -> String? {
            guard let pointer = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: pointer)
        }
        let sqlState = field("C")
        var message = field("M") ?? String(cString: PQresultErrorMessage(result)).singleLine
        if message.isEmpty, let handle { message = String(cString: PQerrorMessage(handle)).singleLine }
        message = redactor.redact(message.singleLine)
        let hint = field("H").map { redactor.redact($0.singleLine) }
        if let handle, PQstatus(handle) != CONNECTION_OK {
            // libpq's message holds the server's last words ("terminating connection due to
            // administrator command") before its own "server closed the connection".
            let full = redactor.redact(String(cString: PQerrorMessage(handle)).singleLine)
            if !full.isEmpty && full != message { message = full.hasPrefix("FATAL:") ? String(full.dropFirst(6)).trimmingCharacters(in: .whitespaces) : full }
            return ConnectorError(kind: .connection, sqlState: sqlState, message: message,
                                  advice: "the connection was lost; check the server log and try again")
        }
        return ConnectorError(kind: .query, sqlState: sqlState, message: message, advice: hint)
    }
}

/// Gathers the one-row results of single-row mode into chunks of rows.
private struct ChunkReader {
    let chunkSize: Int
    var columns: [String]?
    var rows: [[String?]] = []
    var rowCount = 0

    init(chunkSize: Int) {
        self.chunkSize = max(1, chunkSize)
    }

    /// Takes the rows of one result; hands on a chunk when it is full, or at the final result.
    mutating func take(_ result: OpaquePointer, final: Bool, _ body: (QueryResult) throws -> Void) throws {
        let columnCount = Int(PQnfields(result))
        if columns == nil {
            columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
            rows.reserveCapacity(min(chunkSize, 1000))
        }
        for r in 0..<PQntuples(result) {
            rows.append((0..<Int32(columnCount)).map { c in
                PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
            })
        }
        if rows.count >= chunkSize || (final && (!rows.isEmpty || rowCount == 0)) {
            rowCount += rows.count
            let chunk = QueryResult(columns: columns ?? [], rows: rows)
            rows.removeAll(keepingCapacity: true)
            try body(chunk)
        }
    }
}

/// What to do about a failed connection, from libpq's message.
enum ConnectionAdvice {
    static func forFailure(_ message: String) -> String {
        let m = message.lowercased()
        if m.contains("password authentication failed") || m.contains("no password supplied")
            || m.contains("password is required") {
            return "check the user name and password (connection string, PGPASSWORD or ~/.pgpass)"
        }
        if m.contains("database") && m.contains("does not exist") {
            return "check the database name (psql -l lists them)"
        }
        if m.contains("role") && m.contains("does not exist") {
            return "check the user name (user= in the connection string, or PGUSER)"
        }
        if m.contains("permission denied for database") {
            return "GRANT CONNECT ON DATABASE to this role, or connect to a database it may use"
        }
        if m.contains("not permitted to log in") {
            return "use a role with LOGIN (ALTER ROLE ... LOGIN)"
        }
        if m.contains("server does not support ssl") {
            return "use sslmode=prefer (or disable), or enable ssl on the server"
        }
        if m.contains("invalid sslmode value") {
            return "use sslmode disable, allow, prefer, require, verify-ca or verify-full"
        }
        if m.contains("no pg_hba.conf entry") {
            return "ask the DBA to allow this host, user and database in pg_hba.conf"
        }
        if m.contains("invalid connection option") || m.contains("invalid uri") || m.contains("invalid integer value")
            || m.contains("invalid port") || m.contains("missing") && m.contains("after") {
            return "fix the connection string (conninfo 'host=db1 dbname=app' or postgresql://user@host:5432/app)"
        }
        if m.contains("could not translate host name") {
            return "check the host name"
        }
        if m.contains("timeout expired") {
            return "the server did not answer in time: check the host, port and firewall, or raise --connect-timeout"
        }
        if m.contains("connection refused") || m.contains("no such file or directory") || m.contains("could not connect") {
            return "check that the server is running and accepts connections at that host and port"
        }
        if m.contains("too many connections") || m.contains("remaining connection slots") {
            return "the server is out of connection slots: retry later or use a reserved role"
        }
        return "check the connection string and that the server is reachable"
    }
}

/// Calls `body` with a NULL-free C array of C strings that lives for the duration of the call.
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers.map { UnsafePointer($0) } + [nil])
}

/// Like `withCStringArray`, but nil elements stay NULL (SQL NULL parameters).
private func withOptionalCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    return body(pointers.map { UnsafePointer($0) })
}
