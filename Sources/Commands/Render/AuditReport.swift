import Core
import Model

/// What `pgadvisor audit` prints: ranked findings, skipped rules, sources not collected, and
/// an overview of the snapshot.
struct AuditReport {
    var snapshot: Snapshot
    var result: AuditResult
    var summary: SnapshotSummary
    /// The configuration file the audit read, nil when none.
    var configFile: String?

    init(snapshot: Snapshot, result: AuditResult, top: Int, configFile: String? = nil) {
        self.snapshot = snapshot
        self.result = result
        self.summary = SnapshotSummary(snapshot, top: top)
        self.configFile = configFile
    }
}
