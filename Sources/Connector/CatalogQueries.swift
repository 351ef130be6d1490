/// The catalog queries pgadvisor runs, embedded at build time from `sql/`.
public enum CatalogQueries {
    /// Every embedded query keyed by its path in `sql/` without `.sql`.
    public static var all: [String: String] { EmbeddedSQL.files }

    /// The query stored in `sql/<name>.sql`.
    static func named(_ name: String) -> String {
        guard let text = EmbeddedSQL.files[name] else {
            preconditionFailure("sql/\(name).sql is not embedded; run scripts/embed-sql")
        }
        return text
    }
}
