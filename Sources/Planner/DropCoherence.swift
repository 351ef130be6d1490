import Model

/// Decides which of the index drops the findings ask for are safe together: the one place both
/// the audit (which says why an index is kept) and the plan (which withholds the step) ask. With
/// statistics older than `unused-index`'s window, findings can ask to drop both copies of a
/// duplicate, a redundant index and its cover, or every index serving a foreign key. It never
/// drops:
/// - an index backing a constraint or serving as replica identity;
/// - the copy or cover another drop relies on;
/// - an index whose copy or cover is itself dropped (both would go);
/// - an exact copy of an index already dropped;
/// - the last valid index serving a foreign key.
///
/// Drops of an exact copy are decided first, so of two unused copies the one duplicate-index
/// keeps stays; then drops that need nothing (unused, invalid), so of an unused cover and the
/// narrow index it covers, the cover goes and the narrow index stays; then drops relying on a cover.
public struct DropCoherence: Sendable {
    public var snapshot: Snapshot

    public init(snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    /// The requested drops that must not happen, each with the reason, by index.
    public func refusals(_ requests: [DropRequest]) -> [QualifiedName: String] {
        var accepted: [QualifiedName: DropRequest] = [:]
        var refused: [QualifiedName: String] = [:]
        for request in decisionOrder(requests) {
            if let reason = refusal(request, accepted: accepted) {
                refused[request.index] = reason
            } else {
                accepted[request.index] = request
            }
        }
        return refused
    }

    /// The plan's drop steps split into those that run and those withheld with the reason.
    func resolve(_ steps: [PlanStep], findings: [Finding]) -> (kept: [PlanStep], withheld: [WithheldChange]) {
        let refused = refusals(DropRequest.requests(from: findings, snapshot: snapshot))
        func reason(_ step: PlanStep) -> String? {
            guard step.kind == "drop-index", let index = step.object.index else { return nil }
            return refused[index]
        }
        let kept = steps.filter { reason($0) == nil }
        let changes = steps.compactMap { step in
            reason(step).map { WithheldChange(id: step.id, resolves: step.resolves, reason: $0) }
        }
        return (kept, changes)
    }

    /// Drops of an exact copy first, then drops relying on nothing, then drops relying on a
    /// cover; by name within each.
    private func decisionOrder(_ requests: [DropRequest]) -> [DropRequest] {
        func rank(_ r: DropRequest) -> Int {
            if r.keepers.isEmpty { return 1 }
            return r.keepers.allSatisfy { sameDefinition($0, r.index) } ? 0 : 2
        }
        return requests.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            return ra != rb ? ra < rb : SQLQuoting.qualified(a.index) < SQLQuoting.qualified(b.index)
        }
    }

    private func info(_ name: QualifiedName) -> IndexInfo? {
        snapshot.indexes.first { $0.qualifiedName == name }
    }

    private func refusal(_ request: DropRequest, accepted: [QualifiedName: DropRequest]) -> String? {
        let index = request.index
        let name = SQLQuoting.qualified(index)
        if let info = info(index) {
            if let constraint = info.constraint { return "\(name) backs constraint \(SQLQuoting.identifier(constraint))" }
            if info.isReplicaIdentity == true { return "\(name) is the table's replica identity (logical replication needs it)" }
        }
        let others = accepted.values.sorted { SQLQuoting.qualified($0.index) < SQLQuoting.qualified($1.index) }
        if let other = others.first(where: { $0.keepers.contains(index) }) {
            return "it is the copy or cover that serves the reads of \(SQLQuoting.qualified(other.index)), "
                + "which is dropped (\(other.rules.joined(separator: ", "))) because this index stays"
        }
        if let keeper = request.keepers.first(where: { accepted[$0] != nil }) {
            return "its copy or cover \(SQLQuoting.qualified(keeper)) is dropped instead "
                + "(\(accepted[keeper]?.rules.joined(separator: ", ") ?? "")); dropping both would leave its reads without an index"
        }
        if let copy = others.first(where: { sameDefinition($0.index, index) }) {
            return "it is an exact copy of \(SQLQuoting.qualified(copy.index)), which is dropped instead; one copy stays"
        }
        if let foreignKey = lastServedForeignKey(index, droppedAlready: Set(accepted.keys)) {
            return "it is the last index serving foreign key \(SQLQuoting.identifier(foreignKey.name)) on "
                + "\(SQLQuoting.qualified(foreignKey.table)) (\(foreignKey.columns.map(SQLQuoting.identifier).joined(separator: ", "))): "
                + "without it, every delete or key update of the referenced table scans the whole table"
        }
        return nil
    }

    private func sameDefinition(_ a: QualifiedName, _ b: QualifiedName) -> Bool {
        guard let x = info(a), let y = info(b) else { return false }
        return x.table == y.table && x.method == y.method && x.columns == y.columns && x.predicate == y.predicate
    }

    /// A foreign key that `index` serves and that no other remaining valid index serves.
    private func lastServedForeignKey(_ index: QualifiedName, droppedAlready: Set<QualifiedName>) -> ConstraintInfo? {
        guard let dropped = info(index) else { return nil }
        let foreignKeys = snapshot.constraints.filter { $0.kind == .foreignKey && $0.table == dropped.table }
        return foreignKeys.first { fk in
            guard serves(dropped, fk.columns) else { return false }
            return !snapshot.indexes(on: fk.table).contains { other in
                other.qualifiedName != index && !droppedAlready.contains(other.qualifiedName) && other.isValid && serves(other, fk.columns)
            }
        }
    }

    /// The index's leading key columns are exactly the foreign key's columns, in any order.
    private func serves(_ index: IndexInfo, _ columns: [String]) -> Bool {
        guard index.predicate == nil, index.method == "btree" else { return false }
        let lead = index.keyColumns.prefix(columns.count).compactMap(\.column)
        return lead.count == columns.count && Set(lead) == Set(columns)
    }
}

/// The order a plan runs in: dependencies first, then impact.
enum StepOrder {
    /// 0 invalid leftovers dropped, 1 indexes and extensions created, 2 indexes dropped or
    /// rebuilt (after their covers exist), 3 storage parameters and constraints, 4 VACUUM and
    /// ANALYZE (after the index changes), 5 blocking table changes, 6 settings (kept apart
    /// from DDL), 7 manual steps.
    static func phase(_ step: PlanStep) -> Int {
        switch step.kind {
        case "drop-index" where step.resolves.contains { $0.rule == "invalid-index" }: 0
        case "create-index", "create-extension": 1
        case "drop-index", "reindex": 2
        case "set-storage-parameters", "reset-storage-parameters", "validate-constraint": 3
        case "vacuum" where step.risk == .online, "analyze": 4
        case "vacuum", "alter-column-type", "add-primary-key": 5
        case "alter-sequence-type": 5
        case "alter-database", "alter-role", "alter-system": 6
        default: 7
        }
    }

    /// Within a phase: a column's type changes before its sequence's; reloadable settings before restart ones.
    private static func tieBreak(_ step: PlanStep) -> Int {
        switch step.kind {
        case "alter-sequence-type": 1
        case "alter-system" where step.risk == .restart: 1
        default: 0
        }
    }

    /// Impact weighed by confidence against risk.
    static func rank(_ step: PlanStep) -> Double {
        let riskWeight: Double = switch step.risk {
        case .online: 1
        case .restart: 0.8
        case .blocking: 0.5
        case .manual: 0.1
        }
        return step.impact * step.confidence.weight * riskWeight
    }

    static func sorted(_ steps: [PlanStep]) -> [PlanStep] {
        steps.sorted { a, b in
            let (pa, pb) = (phase(a), phase(b))
            if pa != pb { return pa < pb }
            let (ta, tb) = (tieBreak(a), tieBreak(b))
            if ta != tb { return ta < tb }
            let (ra, rb) = (rank(a), rank(b))
            if ra != rb { return ra > rb }
            return a.id < b.id
        }
    }
}
