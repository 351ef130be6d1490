import Model

/// Steps that change a table's definition under ACCESS EXCLUSIVE: primary keys, column and
/// sequence types. All are `blocking`: they run only with `--risk blocking`.
struct TableChangeSteps {
    var factory: StepFactory

    func step(_ remediation: Remediation) -> PlanStep {
        switch remediation {
        case .addIdentityPrimaryKey(let table, let column): identityPrimaryKey(table, column)
        case .addPrimaryKeyUsingIndex(let table, let index): primaryKeyUsingIndex(table, index)
        case .alterColumnType(let table, let column, let type): columnType(table, column, type)
        case .alterSequenceType(let sequence, let type): sequenceType(sequence, type)
        default: preconditionFailure("not a table change")
        }
    }

    private func rewriteEstimate(_ table: QualifiedName) -> DurationEstimate {
        let size = factory.snapshot.table(table)?.size
        return .rewrite(tableBytes: size?.bytes ?? 0, indexBytes: size?.indexBytes ?? 0)
    }

    private func identityPrimaryKey(_ table: QualifiedName, _ column: String) -> PlanStep {
        let remediation = Remediation.addIdentityPrimaryKey(table, column: column)
        return PlanStep(
            id: "add-primary-key:" + SQLQuoting.qualified(table), kind: remediation.kind,
            summary: RemediationSQL.summary(remediation), risk: .blocking, sql: [RemediationSQL.sql(remediation)],
            irreversible: true,
            lock: "ACCESS EXCLUSIVE on \(SQLQuoting.qualified(table)): rewrites the table, reads and writes wait",
            estimate: rewriteEstimate(table),
            precondition: StepCheck("the table still has no primary key", sql: PlanSQL.primaryKeyCheck(table: table)),
            afterwards: "\\d \(SQLQuoting.qualified(table)) shows the primary key", object: StepObject(table: table))
    }

    private func primaryKeyUsingIndex(_ table: QualifiedName, _ index: String) -> PlanStep {
        let remediation = Remediation.addPrimaryKeyUsingIndex(table, index: index)
        return PlanStep(
            id: "add-primary-key:" + SQLQuoting.qualified(table), kind: remediation.kind,
            summary: RemediationSQL.summary(remediation), risk: .blocking, sql: [RemediationSQL.sql(remediation)],
            rollback: ["ALTER TABLE \(SQLQuoting.qualified(table)) DROP CONSTRAINT \(SQLQuoting.identifier(index));"],
            lock: "ACCESS EXCLUSIVE on \(SQLQuoting.qualified(table)) (brief; scans for NULLs unless the columns are NOT NULL)",
            precondition: StepCheck("the table still has no primary key", sql: PlanSQL.primaryKeyCheck(table: table)),
            afterwards: "\\d \(SQLQuoting.qualified(table)) shows the primary key", object: StepObject(table: table))
    }

    private func columnType(_ table: QualifiedName, _ column: String, _ type: String) -> PlanStep {
        let remediation = Remediation.alterColumnType(table, column: column, type: type)
        return PlanStep(
            id: "alter-column-type:\(SQLQuoting.qualified(table)).\(SQLQuoting.identifier(column))", kind: remediation.kind,
            summary: RemediationSQL.summary(remediation), risk: .blocking, sql: [RemediationSQL.sql(remediation)],
            irreversible: true,
            lock: "ACCESS EXCLUSIVE on \(SQLQuoting.qualified(table)): rewrites the table and its indexes, reads and writes wait",
            estimate: rewriteEstimate(table),
            precondition: StepCheck("the column still has its old type",
                                    sql: PlanSQL.columnTypeCheck(table: table, column: column, type: type)),
            afterwards: "the column's type is \(type); run ANALYZE on the table (a type change drops its statistics)",
            object: StepObject(table: table))
    }

    private func sequenceType(_ sequence: QualifiedName, _ type: String) -> PlanStep {
        let remediation = Remediation.alterSequenceType(sequence, type: type)
        return PlanStep(
            id: "alter-sequence-type:" + SQLQuoting.qualified(sequence), kind: remediation.kind,
            summary: RemediationSQL.summary(remediation), risk: .blocking, sql: [RemediationSQL.sql(remediation)],
            irreversible: true, lock: "the sequence (brief): nextval() waits",
            precondition: StepCheck("the sequence still has its old type", sql: PlanSQL.sequenceTypeCheck(sequence: sequence, type: type)),
            afterwards: "pg_sequence.seqmax is the new type's maximum", object: StepObject(table: sequence))
    }
}
