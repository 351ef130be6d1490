import Foundation

/// A connection string as reports may show it: passwords (written raw, percent-encoded, as
/// `password=` or in a URI's user info, or in `PGPASSWORD`) replaced by `***`.
public enum ConninfoDisplay {
    public static func redacted(_ conninfo: String) -> String {
        Redactor(conninfo: conninfo, environment: ProcessInfo.processInfo.environment).redact(conninfo.trimmingSpaces)
    }
}
