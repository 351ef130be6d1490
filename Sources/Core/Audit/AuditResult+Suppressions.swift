import Model

extension AuditResult {
    /// Moves the findings a current suppression names out of the ranked list (and out of
    /// the unmerged list the planner reads) into `suppressed`; entries whose `until` is before
    /// `today` suppress nothing and are listed in `expiredSuppressions`. The first matching
    /// entry is the one reported.
    public func applying(_ suppressions: [Suppression], today: CalendarDay) -> AuditResult {
        let active = suppressions.filter { !$0.isExpired(on: today) }
        var result = self
        result.expiredSuppressions = suppressions.filter { $0.isExpired(on: today) }
        guard !active.isEmpty else { return result }
        result.findings = []
        for finding in findings {
            if let entry = active.first(where: { $0.matches(finding) }) {
                result.suppressed.append(SuppressedFinding(finding: finding, suppression: entry))
            } else {
                result.findings.append(finding)
            }
        }
        result.unmerged = unmerged.filter { finding in !active.contains { $0.matches(finding) } }
        return result
    }

    /// Suppressed findings of this severity.
    public func suppressedCount(_ severity: Severity) -> Int {
        suppressed.filter { $0.finding.severity == severity }.count
    }
}
