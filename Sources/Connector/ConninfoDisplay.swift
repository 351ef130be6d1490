import Foundation

/// A connection string as reports may show it: passwords (written raw, percent-encoded, as
/// `password=` or in a URI's user info, or in `PGPASSWORD`) replaced by `***`.
public enum ConninfoDisplay {
    public static func redacted(_ conninfo: String) -> String {
        redacted(conninfo.trimmingSpaces, knowing: conninfo)
    }

    /// `text` (an error message, say) with the passwords of `conninfo` replaced, wherever
    /// they stand in it.
    public static func redacted(_ text: String, knowing conninfo: String) -> String {
        Redactor(conninfo: conninfo, environment: ProcessInfo.processInfo.environment).redact(text)
    }
}
