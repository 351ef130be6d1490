import Foundation

extension RunArchive {
    /// Saves an audit as a run (its snapshot and its JSON report) and prunes to `keep` runs;
    /// returns the run folder and the runs removed.
    func saveAudit(_ report: AuditReport, at date: Date, keep: Int?) throws -> (folder: String, removed: [String]) {
        let folder = try save([
            (RunArchive.snapshotFile, try report.snapshot.jsonData()),
            (RunArchive.reportFile, Data(try AuditRenderer.render(report, as: .json).utf8)),
        ], at: date)
        return (folder, try keep.map { try prune(keep: $0) } ?? [])
    }
}
