/// Whether a setting needs a restart when no server is at hand to ask (`pg_settings.context`
/// is authoritative when it is).
public enum SettingContexts {
    /// Settings whose context is `postmaster` (a restart applies them), by major version.
    public static func needsRestart(_ name: String, majorVersion: Int) -> Bool {
        switch name {
        case "autovacuum_max_workers": return majorVersion <= 17
        case "io_method", "autovacuum_worker_slots": return majorVersion >= 18
        default: return postmaster.contains(name)
        }
    }

    static let postmaster: Set<String> = [
        "shared_buffers", "huge_pages", "huge_page_size", "max_connections", "superuser_reserved_connections",
        "reserved_connections", "max_worker_processes", "wal_buffers", "wal_level", "max_wal_senders",
        "max_replication_slots", "max_locks_per_transaction", "max_pred_locks_per_transaction",
        "shared_preload_libraries", "track_activity_query_size", "autovacuum_freeze_max_age",
        "autovacuum_multixact_freeze_max_age", "max_files_per_process",
    ]
}
