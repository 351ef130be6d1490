import Model

/// Makes the plan's index drops safe to run together, whatever the findings say. With
/// statistics older than `unused-index`'s window, findings can ask to drop both copies of a
/// duplicate, a redundant index and its cover, or every index serving a foreign key. The plan
/// never drops:
/// - an index backing a constraint or serving as replica identity;
/// - the copy or cover another planned drop relies on;
/// - an index whose copy or cover is itself dropped (both would go);
/// - an exact copy of an index already dropped;
/// - the last valid index serving a foreign key.
///
/// Drops that need nothing (unused, invalid) are decided first, so of an unused cover and the
/// narrow index it covers, the unused cover goes and the index in use stays.
struct DropCoherence {
    var snapshot: Snapshot
    var factory: StepFactory
    var findingsByStep: [String: [Finding]]

    func resolve(_ steps: [PlanStep]) -> (kept: [PlanStep], withheld: [WithheldChange]) {
        var accepted: [QualifiedName: String] = [:]
        var withheld: [String: String] = [:]
        for step in dropOrder(steps) {
            guard let index = step.object.index else { continue }
            if let reason = refusal(index, step: step, accepted: accepted) {
                withheld[step.id] = reason
            } else {
                accepted[index] = step.id
            }
        }
        let kept = steps.filter { withheld[$0.id] == nil }
        let changes = steps.compactMap { step in
            withheld[step.id].map { WithheldChange(id: step.id, resolves: step.resolves, reason: $0) }
        }
        return (kept, changes)
    }

    /// Independent drops first, then those relying on a copy or cover; by id within each.
    private func dropOrder(_ steps: [PlanStep]) -> [PlanStep] {
        steps.filter { $0.kind == "drop-index" }.sorted { a, b in
            let (ra, rb) = (keepers(a).isEmpty ? 0 : 1, keepers(b).isEmpty ? 0 : 1)
            return ra != rb ? ra < rb : a.id < b.id
        }
    }

    /// The indexes this drop relies on staying.
    private func keepers(_ step: PlanStep) -> [QualifiedName] { keepers(of: step.id) }

    private func info(_ name: QualifiedName) -> IndexInfo? {
        snapshot.indexes.first { $0.qualifiedName == name }
    }

    private func refusal(_ index: QualifiedName, step: PlanStep, accepted: [QualifiedName: String]) -> String? {
        let name = SQLQuoting.qualified(index)
        if let info = info(index) {
            if let constraint = info.constraint { return "\(name) backs constraint \(SQLQuoting.identifier(constraint))" }
            if info.isReplicaIdentity == true { return "\(name) is the table's replica identity (logical replication needs it)" }
        }
        for (other, id) in accepted.sorted(by: { $0.value < $1.value }) where keepers(of: id).contains(index) {
            return "\(name) is kept: step \(id) drops \(SQLQuoting.qualified(other)) because this index serves its reads"
        }
        for keeper in keepers(step) where accepted[keeper] != nil {
            return "its copy or cover \(SQLQuoting.qualified(keeper)) is dropped by step \(accepted[keeper]!); dropping both would leave its reads without an index"
        }
        if let copy = accepted.keys.sorted(by: { $0.name < $1.name }).first(where: { sameDefinition($0, index) }) {
            return "it is an exact copy of \(SQLQuoting.qualified(copy)), which the plan already drops"
        }
        if let foreignKey = lastServedForeignKey(index, droppedAlready: Set(accepted.keys)) {
            return "it is the last index serving foreign key \(SQLQuoting.identifier(foreignKey.name)) on "
                + "\(SQLQuoting.qualified(foreignKey.table)) (\(foreignKey.columns.map(SQLQuoting.identifier).joined(separator: ", "))): "
                + "without it, every delete or key update of the referenced table scans the whole table"
        }
        return nil
    }

    private func keepers(of stepId: String) -> [QualifiedName] {
        (findingsByStep[stepId] ?? []).compactMap { finding in
            switch finding.rule {
            case "duplicate-index": factory.keeper(finding, key: "keptIndex")
            case "redundant-index": factory.keeper(finding, key: "coveringIndex")
            default: nil
            }
        }
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
