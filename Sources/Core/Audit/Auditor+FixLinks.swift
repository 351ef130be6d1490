import Model

extension Auditor {
    /// The findings an advised index also fixes: a statement it speeds up, a table it spares
    /// sequential scans.
    static let fixedByMissingIndex: Set<String> = ["seq-scan-heavy-table", "top-time-query", "slow-query"]

    /// One problem, one story: where a missing-index finding speeds up a statement (its
    /// `queryIds`) or indexes a table read by sequential scans, the findings about that
    /// statement or table point to it in `fixedBy`, and the summary counts the problem once.
    static func linkFixes(_ findings: [Finding]) -> [Finding] {
        let indexes = findings.filter { $0.rule == "missing-index" }
        guard !indexes.isEmpty else { return findings }
        return findings.map { finding in
            guard fixedByMissingIndex.contains(finding.rule) else { return finding }
            var finding = finding
            finding.fixedBy = indexes.filter { fixes($0, finding) }.map(FindingLink.init(to:))
            return finding
        }
    }

    /// Whether the index `fix` creates serves what `finding` is about.
    private static func fixes(_ fix: Finding, _ finding: Finding) -> Bool {
        switch finding.target {
        case .statement(let queryId?):
            guard case .list(let ids)? = fix.evidence("queryIds") else { return false }
            return ids.contains(String(queryId))
        case .relation:
            return fix.target == finding.target
        default:
            return false
        }
    }
}
