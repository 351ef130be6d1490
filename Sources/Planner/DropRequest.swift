import Model

/// One index the findings ask to drop, with what the drop relies on: the input of
/// ``DropCoherence``, shared by the audit (which says why an index is kept) and the plan (which
/// withholds the step).
public struct DropRequest: Equatable, Sendable {
    public var index: QualifiedName
    /// The indexes that must stay for this drop to be safe: duplicate-index's kept copy,
    /// redundant-index's cover. Empty for drops that need nothing (unused, invalid).
    public var keepers: [QualifiedName]
    /// The rules asking for the drop, sorted.
    public var rules: [String]

    public init(index: QualifiedName, keepers: [QualifiedName] = [], rules: [String] = []) {
        self.index = index
        self.keepers = keepers
        self.rules = rules
    }

    /// One request per index some finding drops, merging what every finding asking for it relies on.
    public static func requests(from findings: [Finding], snapshot: Snapshot) -> [DropRequest] {
        var byIndex: [QualifiedName: DropRequest] = [:]
        for finding in findings {
            for case .dropIndex(let index, _) in finding.remediations {
                var request = byIndex[index] ?? DropRequest(index: index)
                if let keeper = keeper(of: finding, snapshot: snapshot), !request.keepers.contains(keeper) {
                    request.keepers.append(keeper)
                }
                if !request.rules.contains(finding.rule) { request.rules = (request.rules + [finding.rule]).sorted() }
                byIndex[index] = request
            }
        }
        return byIndex.values.sorted { SQLQuoting.qualified($0.index) < SQLQuoting.qualified($1.index) }
    }

    /// The index a duplicate or redundant finding keeps, from its evidence.
    static func keeper(of finding: Finding, snapshot: Snapshot) -> QualifiedName? {
        let key: String
        switch finding.rule {
        case "duplicate-index": key = "keptIndex"
        case "redundant-index": key = "coveringIndex"
        default: return nil
        }
        guard case .text(let display)? = finding.evidence(key) else { return nil }
        return snapshot.indexes.first { SQLQuoting.qualified($0.qualifiedName) == display }?.qualifiedName
    }
}
