import Model

/// Two snapshots of one database compared, with the audit of each: what got worse, what got
/// better, and how far the counters can be trusted across the window between them. Pure: the
/// snapshots and audits in, a value out.
public struct SnapshotDiff: Sendable {
    /// One side of the comparison.
    public struct Side: Sendable {
        public var database: String
        public var version: String
        public var collectedAt: Timestamp
        public var systemIdentifier: String?

        init(_ snapshot: Snapshot) {
            database = snapshot.server.database
            version = snapshot.server.version
            collectedAt = snapshot.collectedAt
            systemIdentifier = snapshot.server.systemIdentifier
        }
    }

    public var old: Side
    public var new: Side
    public var options: DiffOptions
    /// Differences of identity that were accepted (`--allow-other-server`): counters are then
    /// taken as restarted.
    public var mismatches: [SnapshotPair.Mismatch]
    public var resets: StatisticsResets
    /// What the resets (and mismatches) do to the comparison, one sentence each.
    public var caveats: [String]
    public var findings: FindingChanges
    /// Statements slower over the window than in OLD, the most added time first.
    public var regressions: [StatementChange]
    /// Statements among the heaviest of the window that OLD did not have (or barely ran).
    public var newStatements: [StatementChange]
    public var indexes: [IndexUsageChange]
    public var tableGrowth: [SizeChange]
    public var indexGrowth: [SizeChange]
    public var bloatGrowth: [SizeChange]
    public var databaseGrowth: SizeChange?
    public var settings: [SettingChange]

    /// Seconds between the two snapshots.
    public var windowSeconds: Double { old.collectedAt.seconds(until: new.collectedAt) }

    public static func compare(
        old: Snapshot, new: Snapshot, oldAudit: AuditResult, newAudit: AuditResult, options: DiffOptions = DiffOptions()
    ) -> SnapshotDiff {
        let mismatches = SnapshotPair.mismatches(old: old, new: new).filter(\.separatesCounters)
        var resets = StatisticsResets.detect(old: old, new: new)
        var caveats: [String] = []
        if !mismatches.isEmpty {
            let other = StatisticsResets.Reset(at: nil, evidence: mismatches.map(\.description))
            resets.statements = other
            resets.relations = other
            resets.restartedStatements = 0
            resets.restartedIndexes = 0
            caveats.append("The snapshots are not of the same database of the same cluster (\(mismatches.map(\.description).joined(separator: "; "))): "
                + "every counter is taken as restarted, and NEW's figures are its own.")
        }
        caveats += resets.effects(new: new)
        let statements = statementChanges(old: old, new: new, reset: resets.statements != nil)
        let sizes = sizeGrowth(old: old, new: new, top: options.top)
        return SnapshotDiff(
            old: Side(old), new: Side(new), options: options, mismatches: mismatches, resets: resets, caveats: caveats,
            findings: FindingChanges.compare(old: oldAudit, new: newAudit).accountingFor(
                resets, statementsNow: Set(new.statements.compactMap(\.queryId)),
                relationsNow: Set(new.tables.map(\.qualifiedName) + new.indexes.map(\.qualifiedName) + new.sequences.map(\.qualifiedName))),
            regressions: regressions(statements, options: options),
            newStatements: newHeavyStatements(statements, options: options),
            indexes: indexChanges(old: old, new: new, reset: resets.relations != nil),
            tableGrowth: sizes.tables, indexGrowth: sizes.indexes,
            bloatGrowth: bloatGrowth(old: old, new: new, top: options.top),
            databaseGrowth: databaseGrowth(old: old, new: new),
            settings: settingChanges(old: old, new: new))
    }

    /// Whether anything differs at all (the report says "no change" otherwise).
    public var isEmpty: Bool {
        findings.new.isEmpty && findings.resolved.isEmpty && findings.severityChanged.isEmpty && findings.notJudged.isEmpty
            && regressions.isEmpty && newStatements.isEmpty && indexes.isEmpty && tableGrowth.isEmpty
            && indexGrowth.isEmpty && bloatGrowth.isEmpty && settings.isEmpty
    }
}
