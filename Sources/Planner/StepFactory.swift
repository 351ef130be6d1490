import Model

/// Turns one remediation of one finding into a plan step: its id, SQL, rollback, lock, risk,
/// duration and precondition. Steps with the same id are merged by ``PlanBuilder``.
struct StepFactory {
    var snapshot: Snapshot
    /// When the plan's snapshot was taken: VACUUM and ANALYZE after it count as done.
    var since: Timestamp

    func step(for remediation: Remediation, of finding: Finding, ordinal: Int) -> PlanStep {
        var step = draft(remediation, finding: finding, ordinal: ordinal)
        step.reason = finding.message
        step.resolves = [FindingRef(rule: finding.rule, target: finding.target.display)]
        step.evidence = Self.keyEvidence(finding)
        step.impact = finding.impact.score
        if finding.evidence("verified") == .flag(false) || finding.rule.hasSuffix("bloat") { step.confidence = .estimated }
        if step.object.statementTimeoutSeconds == nil, step.risk != .manual {
            step.object.statementTimeoutSeconds = step.estimate.statementTimeoutSeconds
        }
        return step
    }

    private func draft(_ remediation: Remediation, finding: Finding, ordinal: Int) -> PlanStep {
        switch remediation {
        case .createIndex(let spec): createIndex(spec, finding: finding)
        case .dropIndex(let index, let definition): dropIndex(index, definition: definition, finding: finding)
        case .reindex(let index): reindex(index, finding: finding)
        case .vacuum(let table, let options): vacuum(table, options)
        case .analyze(let table): analyze(table)
        case .setStorageParameters(let table, let parameters, let kind): storage(table, keys: parameters.map(\.key), set: parameters, kind)
        case .resetStorageParameters(let table, let keys, let kind): storage(table, keys: keys, set: nil, kind)
        case .alterSystem(let name, let value, let restart): alterSystem(name, value, restart: restart)
        case .alterDatabase, .alterRole: perObjectSetting(remediation)
        case .addIdentityPrimaryKey, .addPrimaryKeyUsingIndex, .alterColumnType, .alterSequenceType:
            TableChangeSteps(factory: self).step(remediation)
        case .validateConstraint(let table, let constraint): validateConstraint(table, constraint)
        case .createExtension(let name): createExtension(name)
        case .manual(let text): manual(text, finding: finding, ordinal: ordinal)
        }
    }

    // MARK: Indexes

    private func createIndex(_ spec: IndexSpec, finding: Finding) -> PlanStep {
        let name = QualifiedName(schema: spec.table.schema, name: RemediationSQL.indexName(spec))
        let tableBytes = snapshot.table(spec.table)?.size?.bytes ?? 0
        let indexBytes = finding.evidence("sizeFromWidthsBytes")?.int64 ?? finding.evidence("estimatedSizeBytes")?.int64 ?? 0
        return PlanStep(
            id: "create-index:" + SQLQuoting.qualified(spec.table) + spec.definitionBody.trimmingLeadingSpace,
            kind: "create-index", summary: RemediationSQL.summary(.createIndex(spec)), risk: .online,
            sql: [RemediationSQL.sql(.createIndex(spec))], rollback: [PlanSQL.dropIndex(name)],
            lock: "SHARE UPDATE EXCLUSIVE on \(SQLQuoting.qualified(spec.table)) (writes go on; waits for older transactions)",
            outsideTransaction: true,
            estimate: .createIndex(tableBytes: tableBytes, indexBytes: indexBytes),
            precondition: StepCheck("the index does not exist yet, under this name or another (an invalid leftover is dropped first)",
                                    sql: PlanSQL.createIndexCheck(table: spec.table, index: name, definitionTail: Self.definitionTail(spec))),
            afterwards: "the index is valid and its idx_scan grows; 'pgadvisor verify' compares the statements' mean time",
            object: StepObject(table: spec.table, index: name),
            statements: (finding.evidence("queryIds")?.list ?? []).compactMap { Int64($0) })
    }

    /// How `pg_get_indexdef` ends for `spec`: `USING btree (customer_id, created_at)`.
    static func definitionTail(_ spec: IndexSpec) -> String {
        spec.method == "btree" ? "USING btree" + spec.definitionBody : String(spec.definitionBody.drop { $0 == " " })
    }

    private func dropIndex(_ index: QualifiedName, definition: String?, finding: Finding) -> PlanStep {
        let info = snapshot.indexes.first { $0.qualifiedName == index }
        let table = info?.table
        let tableText = table.map(SQLQuoting.qualified) ?? "its table"
        return PlanStep(
            id: "drop-index:" + SQLQuoting.qualified(index), kind: "drop-index",
            summary: RemediationSQL.summary(.dropIndex(index, definition: definition)), risk: .online,
            sql: [RemediationSQL.sql(.dropIndex(index, definition: definition))],
            rollback: (definition ?? info?.definition).map { [PlanSQL.recreateIndex(definition: $0)] } ?? [],
            irreversible: (definition ?? info?.definition) == nil,
            lock: "SHARE UPDATE EXCLUSIVE on \(tableText), ACCESS EXCLUSIVE on the index once no transaction uses it",
            outsideTransaction: true,
            precondition: StepCheck(dropConditionText(finding), sql: PlanSQL.dropIndexCheck(index: index, conditions: dropConditions(index, finding))),
            afterwards: "the statements on \(tableText) keep their mean time ('pgadvisor verify')",
            object: StepObject(table: table, index: index))
    }

    /// Read-only conditions under which dropping `index` is still what the finding saw.
    func dropConditions(_ index: QualifiedName, _ finding: Finding) -> [String] {
        // The same index the plan saw: one dropped and re-created with other keys is a change.
        let same = snapshot.indexes.first { $0.qualifiedName == index }?.definition.flatMap { $0.isEmpty ? nil : $0 }
            .map { [PlanSQL.sameDefinition(index, $0)] } ?? []
        return same + reasonConditions(index, finding)
    }

    private func reasonConditions(_ index: QualifiedName, _ finding: Finding) -> [String] {
        switch finding.rule {
        case "unused-index": [PlanSQL.stillUnused(index, scans: finding.evidence("scans")?.int64 ?? 0)]
        case "duplicate-index", "redundant-index":
            DropRequest.keeper(of: finding, snapshot: snapshot).map { [PlanSQL.validIndex($0)] } ?? []
        case "invalid-index": [PlanSQL.stillInvalid(index)]
        default: []
        }
    }

    func dropConditionText(_ finding: Finding) -> String {
        switch finding.rule {
        case "unused-index": "the index still exists and has not been scanned since the plan"
        case "duplicate-index": "the index still exists and its kept copy is valid"
        case "redundant-index": "the index still exists and its covering index is valid"
        case "invalid-index": "the index still exists and is still invalid"
        default: "the index still exists"
        }
    }

    private func reindex(_ index: QualifiedName, finding: Finding) -> PlanStep {
        let info = snapshot.indexes.first { $0.qualifiedName == index }
        let tableBytes = info.flatMap { snapshot.table($0.table)?.size?.bytes } ?? 0
        let conditions = finding.rule == "invalid-index" ? [PlanSQL.stillInvalid(index)]
            : [PlanSQL.stillLarge(index, pages: info?.pages ?? 0)]
        return PlanStep(
            id: "reindex:" + SQLQuoting.qualified(index), kind: "reindex", summary: RemediationSQL.summary(.reindex(index)),
            risk: .online, sql: [RemediationSQL.sql(.reindex(index))], irreversible: true,
            lock: "SHARE UPDATE EXCLUSIVE on the table and the index (reads and writes go on)", outsideTransaction: true,
            estimate: .reindex(tableBytes: tableBytes, indexBytes: info?.size?.bytes ?? (info?.pages ?? 0) * 8192),
            precondition: StepCheck("the index still exists and is still as large as seen",
                                    sql: PlanSQL.reindexCheck(index: index, conditions: conditions)),
            afterwards: "no _ccnew or _ccold index is left; the index is smaller",
            object: StepObject(table: info?.table, index: index))
    }

    // MARK: Tables

    private func sizes(_ table: QualifiedName) -> (table: Int64, indexes: Int64) {
        let size = snapshot.table(table)?.size
        return (size?.bytes ?? (snapshot.table(table)?.pages ?? 0) * 8192, size?.indexBytes ?? 0)
    }

    private func vacuum(_ table: QualifiedName, _ options: VacuumOptions) -> PlanStep {
        let (tableBytes, indexBytes) = sizes(table)
        let remediation = Remediation.vacuum(table, options)
        return PlanStep(
            id: (options.full ? "vacuum-full:" : "vacuum:") + SQLQuoting.qualified(table), kind: "vacuum",
            summary: RemediationSQL.summary(remediation), risk: options.full ? .blocking : .online,
            sql: [RemediationSQL.sql(remediation)], irreversible: true,
            lock: options.full ? "ACCESS EXCLUSIVE on \(SQLQuoting.qualified(table)) for the whole rewrite"
                : "SHARE UPDATE EXCLUSIVE on \(SQLQuoting.qualified(table)) (reads and writes go on)",
            outsideTransaction: true,
            estimate: .vacuum(tableBytes: tableBytes, indexBytes: indexBytes, full: options.full),
            precondition: StepCheck("the table exists and was not vacuumed since the plan",
                                    sql: PlanSQL.maintenanceCheck(table: table, columns: ["last_vacuum", "last_autovacuum"], since: since)),
            afterwards: "n_dead_tup of \(SQLQuoting.qualified(table)) in pg_stat_user_tables is near 0",
            object: StepObject(table: table))
    }

    private func analyze(_ table: QualifiedName) -> PlanStep {
        PlanStep(
            id: "analyze:" + SQLQuoting.qualified(table), kind: "analyze", summary: RemediationSQL.summary(.analyze(table)),
            risk: .online, sql: [RemediationSQL.sql(.analyze(table))], irreversible: true,
            lock: "SHARE UPDATE EXCLUSIVE on \(SQLQuoting.qualified(table)) (reads and writes go on)",
            estimate: .analyze(tableBytes: sizes(table).table),
            precondition: StepCheck("the table exists and was not analyzed since the plan",
                                    sql: PlanSQL.maintenanceCheck(table: table, columns: ["last_analyze", "last_autoanalyze"], since: since)),
            afterwards: "last_analyze of \(SQLQuoting.qualified(table)) is set; its plans use fresh statistics",
            object: StepObject(table: table))
    }

    /// The value a storage parameter had in the snapshot (`toast.` options as collected), nil when unset.
    /// A storage-parameter step: `set` gives the values to set, nil resets `keys`. Its rollback
    /// puts back what the snapshot saw (apply records what the server has right before).
    private func storage(_ table: QualifiedName, keys: [String], set: [StorageParameter]?, _ kind: TableInfo.Kind) -> PlanStep {
        var previous: [String: String?] = [:]
        // updateValue keeps a nil (no earlier value: RESET it); a subscript assignment of nil would drop the key.
        for key in keys { previous.updateValue(snapshot.table(table)?.option(key), forKey: key) }
        let remediation: Remediation = set.map { .setStorageParameters(table, $0, relation: kind) }
            ?? .resetStorageParameters(table, keys, relation: kind)
        let name = SQLQuoting.qualified(table)
        return PlanStep(
            id: "\(set == nil ? "reset" : "set")-storage:\(name)(\(keys.joined(separator: ", ")))", kind: remediation.kind,
            summary: RemediationSQL.summary(remediation), risk: .online, sql: [RemediationSQL.sql(remediation)],
            rollback: PlanSQL.restoreStorage(table, previous: previous, relation: kind),
            lock: "SHARE UPDATE EXCLUSIVE on \(name) (brief)",
            precondition: set.map { StepCheck("the table exists and does not have these values yet", sql: PlanSQL.setStorageCheck(table: table, parameters: $0)) }
                ?? StepCheck("the table still has these storage parameters", sql: PlanSQL.resetStorageCheck(table: table, keys: keys)),
            afterwards: "pg_class.reloptions of \(name) " + (set == nil ? "no longer lists them" : "shows the new values"),
            object: StepObject(table: table, storageKeys: keys))
    }

    private func validateConstraint(_ table: QualifiedName, _ constraint: String) -> PlanStep {
        let remediation = Remediation.validateConstraint(table, constraint: constraint)
        return PlanStep(
            id: "validate-constraint:\(SQLQuoting.qualified(table)).\(SQLQuoting.identifier(constraint))",
            kind: "validate-constraint", summary: RemediationSQL.summary(remediation), risk: .online,
            sql: [RemediationSQL.sql(remediation)], irreversible: true,
            lock: "SHARE UPDATE EXCLUSIVE on \(SQLQuoting.qualified(table)) while it scans the table",
            estimate: .vacuum(tableBytes: sizes(table).table, indexBytes: 0, full: false),
            precondition: StepCheck("the constraint exists and is not validated yet",
                                    sql: PlanSQL.validateConstraintCheck(table: table, constraint: constraint)),
            afterwards: "pg_constraint.convalidated is true", object: StepObject(table: table))
    }

    // MARK: Settings and the rest

    private func alterSystem(_ name: String, _ value: String, restart: Bool) -> PlanStep {
        let remediation = Remediation.alterSystem(name: name, value: value, restart: restart)
        return PlanStep(
            id: "alter-system:" + name, kind: "alter-system", summary: RemediationSQL.summary(remediation),
            risk: restart ? .restart : .online, sql: [RemediationSQL.sql(remediation)],
            rollback: [PlanSQL.alterSystemReset(name)], outsideTransaction: true, effect: restart ? .restart : .reload,
            precondition: StepCheck("postgresql.auto.conf does not hold the value yet and \(name) still has the value seen",
                                    sql: PlanSQL.alterSystemCheck(name: name, value: value, seen: snapshot.setting(name)?.value)),
            afterwards: restart ? "before restarting, postgres -D <data directory> -C \(name) shows the value the server will read "
                + "(in its base unit) or the error a bad entry causes; it does not test memory"
                + (name == "shared_buffers" || name == "huge_pages" ? ": check that the machine has \(value) free for shared memory "
                    + "(and huge pages for huge_pages = on)" : "")
                + "; after the restart SHOW \(name) gives \(value), until then pg_settings.pending_restart is true"
                : "SHOW \(name) gives \(value) after the reload; pg_file_settings has no error",
            object: StepObject(setting: name))
    }

    private func perObjectSetting(_ remediation: Remediation) -> PlanStep {
        let (database, role, name, value): (String?, String?, String, String)
        switch remediation {
        case .alterDatabase(let d, let n, let v): (database, role, name, value) = (d, nil, n, v)
        case .alterRole(let r, let n, let v): (database, role, name, value) = (nil, r, n, v)
        default: preconditionFailure("not a per-object setting")
        }
        let owner = database.map { "alter-database:" + SQLQuoting.identifier($0) } ?? "alter-role:" + SQLQuoting.identifier(role ?? "")
        let rollback = database.map { PlanSQL.alterDatabase($0, name, nil) } ?? PlanSQL.alterRole(role ?? "", name, nil)
        return PlanStep(
            id: owner + "." + name, kind: remediation.kind, summary: RemediationSQL.summary(remediation), risk: .online,
            sql: [RemediationSQL.sql(remediation)], rollback: [rollback], effect: .newSessions,
            precondition: StepCheck("the setting is not set to this value yet",
                                    sql: PlanSQL.perObjectSettingCheck(database: database, role: role, name: name, value: value)),
            afterwards: "new sessions show \(name) = \(value)", object: StepObject(setting: name, database: database, role: role))
    }

    private func createExtension(_ name: String) -> PlanStep {
        PlanStep(
            id: "create-extension:" + SQLQuoting.identifier(name), kind: "create-extension",
            summary: RemediationSQL.summary(.createExtension(name)), risk: .online,
            sql: [RemediationSQL.sql(.createExtension(name))], rollback: ["DROP EXTENSION IF EXISTS \(SQLQuoting.identifier(name));"],
            precondition: StepCheck("the extension is not installed yet", sql: PlanSQL.extensionCheck(name)),
            afterwards: "pg_extension lists \(name)")
    }

    private func manual(_ text: String, finding: Finding, ordinal: Int) -> PlanStep {
        PlanStep(
            id: "manual:\(finding.rule):\(finding.target.display)" + (ordinal > 0 ? "#\(ordinal + 1)" : ""), kind: "manual",
            summary: text, risk: .manual, sql: [], irreversible: true,
            precondition: StepCheck("a person decides", sql: ""), instructions: text)
    }

    /// The few numbers worth a comment in the script.
    static func keyEvidence(_ finding: Finding) -> [String] {
        let keys = ["scans", "sizeBytes", "savedMsPerDay", "savedMs", "statementsHelped", "keptIndex", "coveringIndex",
                    "deadTuples", "deadRatio", "wastedBytes", "current", "recommended", "percentUsed", "meanMs", "calls"]
        return finding.evidence.filter { keys.contains($0.key) }.prefix(4).map { "\($0.label): \(EvidenceText.render($0.value))" }
    }
}

extension String {
    var trimmingLeadingSpace: String { hasPrefix(" ") ? String(dropFirst()) : self }
}

extension EvidenceValue {
    var int64: Int64? {
        switch self {
        case .count(let v), .bytes(let v): v
        case .number(let v): Int64(v)
        default: nil
        }
    }

    var list: [String]? {
        if case .list(let items) = self { return items }
        return nil
    }
}
