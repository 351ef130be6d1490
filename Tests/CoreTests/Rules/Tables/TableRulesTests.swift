@testable import Core
import Model
import Testing

/// Behaviour of the table and maintenance rules beyond their examples: severities, skips,
/// remediations and the choices a single example cannot show.
@Suite struct TableRulesTests {
    static func run(_ rule: any Rule.Type, _ snapshot: Snapshot, _ parameters: [String: String] = [:]) throws -> AuditResult {
        let configuration = try AuditConfiguration.parse([rule.description.id: parameters])
        return Auditor(rules: [rule], configuration: configuration).run(snapshot)
    }

    /// `rule` judged `snapshot` (it was not skipped) and found nothing.
    static func nothingFound(_ rule: any Rule.Type, _ snapshot: Snapshot, _ parameters: [String: String] = [:]) throws -> Bool {
        let result = try run(rule, snapshot, parameters)
        #expect(result.evaluated == [rule.description.id], "skipped: \(result.skipped.map(\.reason))")
        return result.findings.isEmpty && result.evaluated == [rule.description.id]
    }

    // MARK: table-bloat

    @Test func bloatOfFiveGigabytesIsCritical() throws {
        var table = Example.table("shop.big", rows: 1_000_000, pages: 2_000_000)
        table.exactBloat = ExactBloat(tableBytes: 2_000_000 * 8192, scannedPercent: 80, freeBytes: 6 << 30,
                                      freePercent: 39.3, deadTupleBytes: 0, deadTuplePercent: 0)
        let result = try Self.run(TableBloatRule.self, Example.snapshot(
            tables: [table], database: Example.database(sizeBytes: 40 << 30)))
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .critical)
        // 39 % is below min-ratio but above large-min-ratio with more than 1 GB.
        #expect(finding.evidence("method") == .text("pgstattuple_approx (measured, 80 % of pages scanned)"))
        #expect(finding.remediations.first == .vacuum(QualifiedName(schema: "shop", name: "big"), VacuumOptions()))
        #expect(finding.impact.score == 0.15)
    }

    @Test func demoSessionsNumbers() throws {
        let result = try Self.run(TableBloatRule.self, Example.snapshot(
            tables: [TableExamples.sessions()], columnStats: TableExamples.sessionsStats))
        let finding = try #require(result.findings.first)
        // 284-byte tuples, 28 a page: 60,000 rows need 2,143 of the 7,860 pages.
        #expect(finding.evidence("expectedPages") == .count(2143))
        #expect(finding.evidence("wastedBytes") == .bytes((7860 - 2143) * 8192))
        #expect(finding.severity == .warning)
        #expect(finding.notes.contains { $0.contains("autovacuum-disabled") })
    }

    // MARK: autovacuum-disabled

    @Test func disabledTableWithDeadTuplesNamesTheCause() throws {
        let table = VacuumOverdueRule.deadTable(options: ["autovacuum_enabled=off"])
        let result = try Self.run(AutovacuumDisabledRule.self, Example.snapshot(tables: [table]))
        let finding = try #require(result.findings.first)
        #expect(finding.message.contains("which is why it shows"))
        #expect(finding.message.contains("300,000 dead tuples, past the vacuum trigger of 180,050"))
        #expect(finding.remediations == [
            .resetStorageParameters(table.qualifiedName, ["autovacuum_enabled"]),
            .vacuum(table.qualifiedName, VacuumOptions(analyze: false)),
        ])
    }

    /// The TOAST table's own reloptions say whether autovacuum runs for it; both parameters are reset.
    @Test func toastOptionsFromTheToastTableAreShownAndReset() throws {
        let table = Example.table("shop.documents", rows: 20_000, options: ["autovacuum_enabled=false"],
                                  toastOptions: ["autovacuum_enabled=false"])
        let finding = try #require(try Self.run(AutovacuumDisabledRule.self, Example.snapshot(tables: [table])).findings.first)
        #expect(finding.evidence("toastAutovacuumEnabled") == .flag(false))
        #expect(finding.evidence("storageParameters") == .list(["autovacuum_enabled=false", "toast.autovacuum_enabled=false"]))
        #expect(finding.remediations.first == .resetStorageParameters(
            table.qualifiedName, ["autovacuum_enabled", "toast.autovacuum_enabled"]))
    }

    @Test func trackCountsOffIsCritical() throws {
        let result = try Self.run(AutovacuumDisabledRule.self, Example.snapshot(
            settings: [Example.setting("track_counts", "off", context: "superuser")]))
        #expect(result.findings.map(\.target) == [.setting("track_counts")])
        #expect(result.findings.first?.severity == .critical)
        #expect(result.findings.first?.remediations == [.alterSystem(name: "track_counts", value: "on", restart: false)])
    }

    @Test func serverOffCountsTablesPastTheirTrigger() throws {
        let result = try Self.run(AutovacuumDisabledRule.self, Example.snapshot(
            settings: [Example.setting("autovacuum", "off")], tables: [VacuumOverdueRule.deadTable()]))
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .critical)
        #expect(finding.evidence("tablesPastVacuumTrigger") == .count(1))
        #expect(finding.message.contains("1 table is already past its vacuum trigger"))
    }

    // MARK: vacuum-overdue

    @Test func vacuumedWithinMaxAgeIsNotOverdue() throws {
        var table = VacuumOverdueRule.deadTable()
        table.activity?.lastAutovacuum = Example.ago(seconds: 3600)
        #expect(try Self.nothingFound(VacuumOverdueRule.self, Example.snapshot(tables: [table])))
        #expect(try Self.run(VacuumOverdueRule.self, Example.snapshot(tables: [table]), ["max-age": "30min"]).findings.count == 1)
    }

    @Test func youngStatisticsWithoutTimestampsAreNotJudgedOverdue() throws {
        var table = VacuumOverdueRule.deadTable()
        table.activity?.lastAutovacuum = nil
        let fresh = Example.snapshot(tables: [table], statsReset: Example.ago(seconds: 1800))
        #expect(try Self.nothingFound(VacuumOverdueRule.self, fresh))
    }

    @Test func largeTablesGetALowerScaleFactor() throws {
        var table = VacuumOverdueRule.deadTable()
        table.estimatedRows = 3_000_000
        table.activity?.deadTuples = 900_000
        let finding = try #require(try Self.run(VacuumOverdueRule.self, Example.snapshot(tables: [table])).findings.first)
        #expect(finding.remediations == [
            .vacuum(table.qualifiedName, VacuumOptions(analyze: false)),
            .setStorageParameters(table.qualifiedName, [StorageParameter("autovacuum_vacuum_scale_factor", "0.01")]),
        ])
    }

    @Test func materializedViewsGetStructuredStorageParameterSteps() throws {
        var view = VacuumOverdueRule.deadTable(options: ["autovacuum_enabled=off"])
        view.kind = .materializedView
        let disabled = try #require(try Self.run(AutovacuumDisabledRule.self, Example.snapshot(tables: [view])).findings.first)
        #expect(disabled.remediations.first
            == .resetStorageParameters(view.qualifiedName, ["autovacuum_enabled"], relation: .materializedView))
        view.options = []
        view.estimatedRows = 3_000_000
        view.activity?.deadTuples = 900_000
        let overdue = try #require(try Self.run(VacuumOverdueRule.self, Example.snapshot(tables: [view])).findings.first)
        #expect(overdue.remediations.last == .setStorageParameters(
            view.qualifiedName, [StorageParameter("autovacuum_vacuum_scale_factor", "0.01")], relation: .materializedView))
    }

    @Test func serverWideOffIsSaid() throws {
        let result = try Self.run(VacuumOverdueRule.self, Example.snapshot(
            settings: [Example.setting("autovacuum", "off")], tables: [VacuumOverdueRule.deadTable()]))
        #expect(result.findings.first?.message.hasSuffix("autovacuum is off server-wide.") == true)
    }

    @Test func youngXminHoldersAreNotNamed() throws {
        let result = try Self.run(VacuumOverdueRule.self, Example.snapshot(
            tables: [VacuumOverdueRule.deadTable()], sessions: [SessionInfo(pid: 5, state: "active", xminAge: 200)]))
        #expect(result.findings.first?.evidence("xminHolderPid") == nil)
    }

    // MARK: analyze-overdue

    @Test func analyzeDisabledTablesAreLeftToAutovacuumDisabled() throws {
        var table = AnalyzeOverdueRule.staleTable()
        table.options = ["autovacuum_enabled=false"]
        #expect(try Self.nothingFound(AnalyzeOverdueRule.self, Example.snapshot(tables: [table])))
    }

    @Test func partitionedParentsAreNotAnalyzeCandidates() throws {
        var parent = AnalyzeOverdueRule.neverAnalyzed()
        parent.kind = .partitioned
        #expect(try Self.nothingFound(AnalyzeOverdueRule.self, Example.snapshot(tables: [parent])))
    }

    @Test func missingPgStatsWithoutFullVisibilityIsNotNeverAnalyzed() throws {
        var snapshot = AnalyzeOverdueRule.vacuumedOnly()
        snapshot.role.isSuperuser = false
        // pg_stats may hide the table from this role: judged only on its modifications, past the trigger
        // of 5,050 with no analyze recorded in 30 days.
        let finding = try #require(try Self.run(AnalyzeOverdueRule.self, snapshot).findings.first)
        #expect(finding.evidence("neverAnalyzed") == nil)
        #expect(finding.evidence("analyzeTriggerRows") == .count(5050))
        #expect(finding.message.contains("no analyze recorded in the 30 d of statistics"))
    }

    // MARK: missing-primary-key

    @Test func identityColumnNameAvoidsCollisions() {
        let taken = Example.table("t", columns: TableExamples.columns([("id", "text"), ("row_id", "int"), ("pk_id", "int"), ("id_2", "int")]))
        #expect(MissingPrimaryKeyRule.identityColumnName(taken) == "id_3")
        #expect(MissingPrimaryKeyRule.identityColumnName(Example.table("u", columns: TableExamples.columns([("id", "text")]))) == "row_id")
        #expect(MissingPrimaryKeyRule.identityColumnName(Example.table("v", columns: TableExamples.columns([("n", "int")]))) == "id")
    }

    @Test func onlyPlainUniqueIndexesOnNotNullColumnsArePromotable() {
        let table = Example.table("shop.c", columns: TableExamples.columns(
            [("email", "text"), ("nick", "text"), ("a", "int"), ("b", "int")], nullable: ["nick"]))
        let partial = Example.index("shop.c_email_partial", on: "shop.c", columns: ["email"], unique: true, predicate: "a > 0")
        let nullable = Example.index("shop.c_nick_key", on: "shop.c", columns: ["nick"], unique: true)
        let plain = Example.index("shop.c_email_idx", on: "shop.c", columns: ["email"])
        let wide = Example.index("shop.c_a_b_key", on: "shop.c", columns: ["a", "b"], unique: true)
        let narrow = Example.index("shop.c_email_key", on: "shop.c", columns: ["email"], unique: true)
        #expect(MissingPrimaryKeyRule.promotableIndex(table, indexes: [partial, nullable, plain]) == nil)
        #expect(MissingPrimaryKeyRule.promotableIndex(table, indexes: [wide, partial])?.name == "c_a_b_key")
        #expect(MissingPrimaryKeyRule.promotableIndex(table, indexes: [wide, narrow, nullable])?.name == "c_email_key")
    }

    @Test func partitionedTableWritesComeFromItsPartitions() throws {
        let parent = MissingPrimaryKeyRule.partitionedOrders()
        var insertOnlyChild = MissingPrimaryKeyRule.orderPartition()
        insertOnlyChild.activity = TableActivity(inserted: 40_000, liveTuples: 40_000)
        let insertOnly = try Self.run(MissingPrimaryKeyRule.self, Example.snapshot(tables: [parent, insertOnlyChild]))
        #expect(insertOnly.findings.map(\.severity) == [.info])
        #expect(try Self.nothingFound(MissingPrimaryKeyRule.self, Example.snapshot(tables: [parent, insertOnlyChild]),
                                      ["include-insert-only": "false"]))

        var updatedChild = insertOnlyChild
        updatedChild.activity?.updated = 12
        let result = try Self.run(MissingPrimaryKeyRule.self, Example.snapshot(tables: [parent, updatedChild]))
        let finding = try #require(result.findings.first)
        #expect(finding.target == .relation(parent.qualifiedName))
        #expect(finding.evidence("updated") == .count(12))
        // A partitioned table's key must include the partition key: no identity column suggested.
        #expect(finding.remediations.count == 1)
        if case .manual(let text) = finding.remediations[0] { #expect(text.contains("partition key")) } else {
            Issue.record("expected a manual step, got \(finding.remediations)")
        }
    }

    /// A keyless table taking only INSERTs is info, with what a key gives and the note that such
    /// logs are often keyless on purpose; the key is a manual step, never a planned rewrite.
    @Test func keylessAppendOnlyTableIsInfoWithTheReasonsAKeyMatters() throws {
        let views = Example.table("shop.page_views", rows: 200_000, columns: TableExamples.columns(
            [("viewed_at", "timestamp with time zone"), ("path", "text")]),
            activity: TableActivity(inserted: 200_000, liveTuples: 200_000))
        let finding = try #require(try Self.run(MissingPrimaryKeyRule.self, Example.snapshot(tables: [views])).findings.first)
        #expect(finding.severity == .info)
        #expect(finding.target == .relation(views.qualifiedName))
        for reason in ["addressed", "duplicates", "pg_repack", "logical replication", "UPDATE and DELETE should they ever come"] {
            #expect(finding.message.contains(reason), "\(reason): \(finding.message)")
        }
        #expect(finding.notes.contains { $0.contains("often keyless on purpose") })
        #expect(finding.remediations.allSatisfy { if case .manual = $0 { true } else { false } }, "\(finding.remediations)")
    }

    @Test func auditLogGetsAnIdentityKeyAndTheNaturalKeyAdvice() throws {
        let result = try Self.run(MissingPrimaryKeyRule.self, Example.snapshot(tables: [MissingPrimaryKeyRule.auditLog(deleted: 280)]))
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("receives DELETEs (280 rows deleted"))
        #expect(finding.remediations.first == .addIdentityPrimaryKey(QualifiedName(schema: "shop", name: "audit_log"), column: "id"))
    }

    // MARK: xid-wraparound

    @Test func criticalNearTheHardLimitAndForOldTemplates() throws {
        let result = try Self.run(XidWraparoundRule.self, Example.snapshot(databases: [
            DatabaseAge(name: "app", frozenXidAge: 10_000_000, minMultixactAge: 1000),
            DatabaseAge(name: "template0", frozenXidAge: 1_450_000_000, allowsConnections: false, isTemplate: true),
        ]))
        #expect(result.findings.map(\.target) == [.database("template0")])
        #expect(result.findings.first?.severity == .critical)

        // Raising critical-age does not hide the last 40 million.
        let near = try Self.run(XidWraparoundRule.self, Example.snapshot(databases: [
            DatabaseAge(name: "app", frozenXidAge: 2_110_000_000, minMultixactAge: 0),
        ]), ["critical-age": "2140000000"])
        #expect(near.findings.first?.severity == .critical)
        #expect(near.findings.first?.evidence("xidToStopLimit") == .count(2_147_483_647 - 2_110_000_000 - 3_000_000))
    }

    @Test func smallTablesWaitForTheFreezeMaxAgeLargeOnesDoNot() throws {
        let small = Example.table("shop.small", rows: 200, frozenXidAge: 170_000_000)
        let large = Example.table("shop.large", rows: 40_000_000, rowWidth: 120, frozenXidAge: 170_000_000)
        let snapshot = Example.snapshot(tables: [small, large], databases: [DatabaseAge(name: "app", frozenXidAge: 170_000_000)])
        let targets = try Self.run(XidWraparoundRule.self, snapshot).findings.map(\.target)
        #expect(Set(targets) == [.database("app"), .relation(large.qualifiedName)])
    }

    @Test func toastAgeCounts() throws {
        var table = Example.table("shop.docs", rows: 200)
        table.toastFrozenXidAge = 260_000_000
        let finding = try #require(try Self.run(XidWraparoundRule.self, Example.snapshot(tables: [table])).findings.first)
        #expect(finding.target == .relation(table.qualifiedName))
        #expect(finding.evidence("xidAge") == .count(260_000_000))
        #expect(finding.remediations.contains(.vacuum(table.qualifiedName, VacuumOptions(freeze: true, verbose: true))))
    }

    // MARK: sequence-exhaustion

    @Test func allUnreadableSkips() throws {
        let result = try Self.run(SequenceExhaustionRule.self, Example.snapshot(sequences: [
            SequenceInfo(schema: "s", name: "a", lastValueState: .notPermitted),
            SequenceInfo(schema: "s", name: "b", lastValueState: .locked),
        ]))
        #expect(result.findings.isEmpty)
        #expect(result.skipped.first?.reason.contains("GRANT pg_read_all_data") == true)
        let mixed = try Self.run(SequenceExhaustionRule.self, Example.snapshot(sequences: [
            SequenceInfo(schema: "s", name: "a", lastValueState: .notPermitted),
            SequenceInfo(schema: "s", name: "c", lastValueState: .neverUsed),
        ]))
        #expect(mixed.skipped.isEmpty && mixed.findings.isEmpty)
    }

    @Test func usageAgainstBothLimits() {
        let ticket = SequenceExhaustionRule.ticketsSequence(lastValue: 2_000_000_010)
        #expect(SequenceExhaustionRule.columnUsage(ticket, last: 2_000_000_010)?.remaining == 147_483_637)
        // A bigint sequence stopping at 1,000 never reaches the integer column's limit.
        var capped = ticket
        capped.dataType = "bigint"
        capped.maxValue = 1000
        #expect(SequenceExhaustionRule.columnUsage(capped, last: 900) == nil)
        #expect(SequenceExhaustionRule.sequenceUsage(capped, last: 900)?.share == 899.0 / 999.0)
        // A cycling bigint sequence feeding an integer column still overflows the column.
        var cycling = SequenceInfo(schema: "s", name: "r", cycles: true, lastValue: 2_100_000_000, lastValueState: .read,
                                   ownedBy: .init(table: QualifiedName(schema: "s", name: "t"), column: "id", columnType: "integer"))
        #expect(SequenceExhaustionRule.sequenceUsage(cycling, last: 2_100_000_000) == nil)
        #expect((SequenceExhaustionRule.columnUsage(cycling, last: 2_100_000_000)?.share ?? 0) > 0.97)
        cycling.ownedBy = nil
        #expect(SequenceExhaustionRule.columnUsage(cycling, last: 2_100_000_000) == nil)
        // The full bigint range does not overflow.
        let wide = SequenceInfo(schema: "s", name: "w", minValue: Int64.min, maxValue: Int64.max, lastValue: -5,
                                lastValueState: .read)
        let usage = SequenceExhaustionRule.sequenceUsage(wide, last: -5)
        #expect(usage?.remaining == Int64.max)
        #expect(abs((usage?.share ?? 0) - 0.5) < 1e-9)
    }

    @Test func referencingIntegerColumnsAreWidenedToo() throws {
        let tickets = QualifiedName(schema: "shop", name: "tickets")
        let replies = Example.table("shop.replies", columns: TableExamples.columns([("id", "bigint"), ("ticket_id", "integer")]))
        let result = try Self.run(SequenceExhaustionRule.self, Example.snapshot(
            tables: [Example.table("shop.tickets", columns: TableExamples.columns([("id", "integer")])), replies],
            constraints: [ConstraintInfo(schema: "shop", name: "replies_ticket_id_fkey", kind: .foreignKey,
                                         table: replies.qualifiedName, columns: ["ticket_id"], referencedTable: tickets,
                                         referencedColumns: ["id"])],
            sequences: [SequenceExhaustionRule.ticketsSequence(lastValue: 2_000_000_010)]))
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .critical)
        #expect(finding.evidence("limitingFactor") == .text("the integer column's maximum"))
        #expect(finding.remediations == [
            .alterColumnType(tickets, column: "id", type: "bigint"),
            .alterColumnType(replies.qualifiedName, column: "ticket_id", type: "bigint"),
            .alterSequenceType(QualifiedName(schema: "shop", name: "tickets_id_seq"), type: "bigint"),
        ])
    }

    @Test func aBigintSequenceAtItsLimitNeedsAManualPlan() throws {
        let result = try Self.run(SequenceExhaustionRule.self, Example.snapshot(sequences: [
            SequenceInfo(schema: "s", name: "huge", lastValue: Int64.max - 1000, lastValueState: .read),
        ]))
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .critical)
        if case .manual(let text) = finding.remediations.first { #expect(text.contains("end of the bigint range")) } else {
            Issue.record("expected a manual step")
        }
    }
}
