/// A failure to connect, to run a statement, or to read its result.
///
/// `description` is one line: what went wrong, then what to do. It never contains a password
/// or a full connection string: every message from libpq or the server passes through
/// `Redactor` before it is stored here.
public struct ConnectorError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// Could not connect (bad address, authentication, missing database, bad connection string).
        case connection
        /// The server rejected or aborted a statement.
        case query
        /// A result did not have the expected shape.
        case decoding
        /// A server feature pgadvisor relies on is missing or not usable by this role (an
        /// extension not installed, a function it may not execute): what depends on it falls back.
        case unavailable
    }

    public var kind: Kind
    /// The five-character SQLSTATE the server sent, when there was one.
    public var sqlState: String?
    /// The server's or libpq's message, on one line, with secrets removed.
    public var message: String
    /// What to do about it, when pgadvisor knows.
    public var advice: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, advice: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.advice = advice
    }

    public var description: String {
        var text = message
        if let sqlState, kind == .query { text += " (SQLSTATE \(sqlState))" }
        if let advice { text += ": " + advice }
        return text
    }
}

/// SQLSTATE codes pgadvisor reacts to.
public enum SQLState {
    public static let insufficientPrivilege = "42501"
    public static let undefinedTable = "42P01"
    public static let undefinedFunction = "42883"
    public static let undefinedObject = "42704"
    public static let objectNotInPrerequisiteState = "55000"
    /// "could not determine data type of parameter $n".
    public static let indeterminateDatatype = "42P18"
    /// "could not determine data type of parameter $n" when the server infers parameter types
    /// (EXPLAIN (GENERIC_PLAN)).
    public static let ambiguousParameter = "42P08"
    public static let lockNotAvailable = "55P03"
    public static let queryCanceled = "57014"
    public static let readOnlySQLTransaction = "25006"
    public static let invalidPassword = "28P01"
    public static let invalidAuthorization = "28000"
    public static let invalidCatalogName = "3D000"
}
