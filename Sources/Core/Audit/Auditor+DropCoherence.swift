import Model
import Planner

extension Auditor {
    /// The report's index drops made safe to follow together, decided by the planner's
    /// ``DropCoherence`` from every finding as its rule reported it (`unmerged`), so the report
    /// and the plan keep the same indexes. A finding whose drop is refused stays, without the
    /// DROP, at info (nothing to run), with the reason as `keptBecause` evidence and a note:
    /// of two unused copies the one duplicate-index keeps stays; of an unused cover and its
    /// unused prefix the cover goes and the prefix stays; the last index of a foreign key, a
    /// constraint or the replica identity stays.
    static func keepCoherentDrops(_ findings: [Finding], unmerged: [Finding], snapshot: Snapshot) -> [Finding] {
        let refused = DropCoherence(snapshot: snapshot).refusals(DropRequest.requests(from: unmerged, snapshot: snapshot))
        guard !refused.isEmpty else { return findings }
        return rank(findings.map { finding in
            var finding = finding
            var reasons: [String] = []
            finding.remediations = finding.remediations.filter { remediation in
                guard case .dropIndex(let index, _) = remediation, let reason = refused[index] else { return true }
                reasons.append(reason)
                return false
            }
            guard let reason = reasons.first else { return finding }
            finding.severity = .info
            finding.evidence.append(Evidence("keptBecause", "kept", .text(reason)))
            finding.notes.append("Not dropped (see 'kept'): judge it again once the other index changes are made.")
            return finding
        })
    }
}
