import Model
import QueryParser

/// The migration checks over the DDL statements of one file, in file order: what each
/// statement locks or rewrites, judged by the size of its table in the target database.
///
/// Pure: the catalog facts come in as values. A table created earlier in the file, or absent
/// from the target database, is new: nobody waits on it, so nothing fires. Offline (no
/// snapshot), a table's size is unknown and the size checks warn instead of failing.
public struct MigrationReview {
    /// What the target database says.
    public struct Catalog: Sendable {
        /// nil offline.
        public var snapshot: Snapshot?
        /// Columns with a validated `CHECK (column IS NOT NULL)`, by table.
        public var notNullChecks: [QualifiedName: Set<String>]
        /// Functions that exist, and whether an overload is VOLATILE.
        public var volatility: [String: Bool]

        public init(snapshot: Snapshot?, notNullChecks: [QualifiedName: Set<String>] = [:], volatility: [String: Bool] = [:]) {
            self.snapshot = snapshot
            self.notNullChecks = notNullChecks
            self.volatility = volatility
        }
    }

    /// A table as the file's statements find it.
    enum Target {
        /// Created earlier in the file, or not in the target database: blocks no one.
        case new
        case existing(TableInfo)
        /// Offline: size unknown.
        case unknown
    }

    /// Volatile functions a DEFAULT commonly calls: what offline mode knows without a catalog.
    static let knownVolatile: Set<String> = [
        "random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
        "uuid_generate_v4", "uuidv4", "uuidv7", "nextval", "txid_current", "random_normal",
    ]

    let catalog: Catalog
    let thresholds: ReviewThresholds
    private let resolver: CatalogResolver?
    private var lockTimeoutSet = false
    private var createdTables: Set<String> = []
    /// Columns covered by a CHECK (column IS NOT NULL) validated earlier in the file, by table key.
    private var validatedNotNull: [String: Set<String>] = [:]
    /// CHECK (column IS NOT NULL) constraints added NOT VALID earlier in the file: name → column.
    private var pendingNotNull: [String: [String: String]] = [:]

    public init(catalog: Catalog, thresholds: ReviewThresholds) {
        self.catalog = catalog
        self.thresholds = thresholds
        resolver = catalog.snapshot.map(CatalogResolver.init)
    }

    /// Records a `SET lock_timeout` (or its reset) met in the file.
    public mutating func setLockTimeout(_ enabled: Bool) {
        lockTimeoutSet = enabled
    }

    /// The findings of one DDL statement; updates what the file has done so far.
    public mutating func review(_ change: SchemaChange) -> [ReviewFinding] {
        guard let reference = change.table else { return [] }
        let target = self.target(reference)
        var findings: [ReviewFinding] = []
        switch change.form {
        case .createTable:
            createdTables.insert(key(reference))
            return []
        case .createIndex(let concurrently):
            if !concurrently {
                findings += fire(.createIndexNotConcurrently, target, reference,
                                 "CREATE INDEX without CONCURRENTLY blocks writes to %@ for the whole build",
                                 fix: "CREATE INDEX CONCURRENTLY ... (one statement, outside a transaction block; if it fails, drop the INVALID index it leaves)")
            }
        case .alterTable(let actions):
            for action in actions { findings += review(action, target: target, table: reference) }
        case .locking:
            break
        }
        if let missing = lockTimeoutFinding(change, target: target, table: reference) { findings.append(missing) }
        return findings
    }

    private mutating func review(_ action: AlterTableAction, target: Target, table: RelationReference) -> [ReviewFinding] {
        switch action {
        case .addColumn(let column):
            return addColumn(column, target: target, table: table)
        case .alterColumnType(let column, let type, let using):
            return alterType(column, to: type, using: using, target: target, table: table)
        case .addConstraint(let constraint):
            return addConstraint(constraint, target: target, table: table)
        case .setNotNull(let column):
            return setNotNull(column, target: target, table: table)
        case .validateConstraint(let name):
            if let column = pendingNotNull[key(table)]?[name] { validatedNotNull[key(table), default: []].insert(column) }
            return []
        case .other:
            return []
        }
    }

    private func addColumn(_ column: AddedColumn, target: Target, table: RelationReference) -> [ReviewFinding] {
        var findings: [ReviewFinding] = []
        if let why = rewriteReason(column) {
            findings += fire(.addColumnRewrite, target, table,
                             "ADD COLUMN \(column.name) \(why): PostgreSQL rewrites %@ under ACCESS EXCLUSIVE",
                             fix: "add the column without a default (or with a constant one), SET DEFAULT for new rows, backfill existing rows in batches")
        }
        if let referenced = column.references {
            findings += foreignKey(target: target, table: table, referenced: referenced, what: "ADD COLUMN \(column.name) ... REFERENCES")
        }
        return findings
    }

    /// Why adding `column` rewrites the table, or nil when it does not.
    func rewriteReason(_ column: AddedColumn) -> String? {
        if column.isSerial { return "has type \(column.type.name) (a nextval() default for every row)" }
        if column.identity { return "is an identity column (a sequence value for every row)" }
        if column.generatedStored { return "is a stored generated column (computed for every row)" }
        guard let calls = column.defaultCalls else { return nil }
        let volatile = calls.filter { name in
            if catalog.snapshot == nil { return Self.knownVolatile.contains(name) }
            return catalog.volatility[name] ?? true
        }
        guard let first = volatile.first else { return nil }
        let known = catalog.snapshot == nil || catalog.volatility[first] != nil
        return "has a DEFAULT calling \(first)(), \(known ? "a volatile function" : "a function the database does not have (assumed volatile)")"
    }

    private func alterType(_ column: String, to type: TypeReference, using: Bool, target: Target, table: RelationReference) -> [ReviewFinding] {
        if case .existing(let info) = target, !using, let old = info.column(named: column).flatMap({ QueryParser.typeReference($0.type) }),
           TypeChange.keepsValues(from: old, to: type) {
            return []
        }
        let old: String
        if case .existing(let info) = target, let current = info.column(named: column)?.type { old = " from \(current)" } else { old = "" }
        return fire(.columnTypeRewrite, target, table,
                    "ALTER COLUMN \(column) TYPE \(type)\(old) rewrites %@ and rebuilds its indexes under ACCESS EXCLUSIVE",
                    fix: "add a new column, fill it in batches (and with a trigger), then swap the columns in one short transaction")
    }

    private mutating func addConstraint(_ constraint: AddedConstraint, target: Target, table: RelationReference) -> [ReviewFinding] {
        if constraint.kind == .check, let column = constraint.notNullColumn {
            if !constraint.notValid {
                validatedNotNull[key(table), default: []].insert(column)
            } else if let name = constraint.name {
                pendingNotNull[key(table), default: [:]][name] = column
            }
        }
        guard !constraint.notValid else { return [] }
        let name = constraint.name.map { " \($0)" } ?? ""
        switch constraint.kind {
        case .foreignKey:
            return foreignKey(target: target, table: table, referenced: constraint.referencedTable,
                              what: "ADD CONSTRAINT\(name) FOREIGN KEY without NOT VALID")
        case .check:
            return fire(.constraintNotValid, target, table,
                        "ADD CONSTRAINT\(name) CHECK without NOT VALID scans %@ under ACCESS EXCLUSIVE",
                        fix: "ADD CONSTRAINT ... CHECK (...) NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT ... in a separate transaction")
        case .unique where !constraint.usingIndex, .primaryKey where !constraint.usingIndex:
            return fire(.createIndexNotConcurrently, target, table,
                        "ADD CONSTRAINT\(name) \(constraint.kind.rawValue.uppercased()) builds its index on %@ under ACCESS EXCLUSIVE",
                        fix: "CREATE UNIQUE INDEX CONCURRENTLY ..., then ALTER TABLE ... ADD CONSTRAINT ... \(constraint.kind.rawValue.uppercased()) USING INDEX ...")
        default:
            return []
        }
    }

    /// A foreign key validated now: the scan blocks writes to both tables, so it fires when
    /// either is large.
    private func foreignKey(target: Target, table: RelationReference, referenced: RelationReference?, what: String) -> [ReviewFinding] {
        let fix = "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT ... in a separate transaction"
        let message = "\(what) scans %@ while blocking writes to it and to the referenced table"
        let own = fire(.constraintNotValid, target, table, message, fix: fix)
        guard !own.contains(where: { $0.verdict == .fail }), let referenced else { return own }
        let other = fire(.constraintNotValid, self.target(referenced), referenced,
                         "\(what) blocks writes to the referenced table %@ while it checks every row", fix: fix)
        return other.contains { $0.verdict == .fail } || own.isEmpty ? other : own
    }

    private func setNotNull(_ column: String, target: Target, table: RelationReference) -> [ReviewFinding] {
        if validatedNotNull[key(table)]?.contains(column) == true { return [] }
        if case .existing(let info) = target {
            if info.column(named: column)?.notNull == true { return [] }
            if catalog.notNullChecks[info.qualifiedName]?.contains(column) == true { return [] }
        }
        return fire(.setNotNullScan, target, table,
                    "SET NOT NULL on \(column) scans %@ under ACCESS EXCLUSIVE (no validated CHECK (\(column) IS NOT NULL) exists)",
                    fix: "ADD CONSTRAINT ... CHECK (\(column) IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT ...; then SET NOT NULL (no scan, PostgreSQL 12+); then drop the check")
    }

    /// `lock-timeout-missing` for a statement that locks an existing table and could queue.
    private func lockTimeoutFinding(_ change: SchemaChange, target: Target, table: RelationReference) -> ReviewFinding? {
        guard !lockTimeoutSet else { return nil }
        switch change.form {
        case .createTable, .createIndex(concurrently: true), .locking(_, concurrently: true): return nil
        // VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on beside it.
        case .alterTable(let actions) where actions.allSatisfy({ if case .validateConstraint = $0 { true } else { false } }): return nil
        default: break
        }
        let name: String
        switch target {
        case .new: return nil
        case .existing(let info): name = info.qualifiedName.description
        case .unknown: name = Self.display(table)
        }
        return ReviewFinding(
            check: .lockTimeoutMissing,
            message: "no lock_timeout is set before this statement: while it waits for its lock on \(name), every later query on the table queues behind it",
            fix: "SET lock_timeout = '5s'; earlier in the file (and retry the migration when it times out)")
    }

    /// The check's finding for `table`: its verdict on a large table, a warning when the size
    /// is unknown, nothing for a new or small table. `%@` in `message` is the table.
    private func fire(_ check: ReviewCheck, _ target: Target, _ table: RelationReference, _ message: String, fix: String) -> [ReviewFinding] {
        switch target {
        case .new:
            return []
        case .existing(let info):
            guard thresholds.isLarge(info) else { return [] }
            let text = message.replacingOccurrences(of: "%@", with: "\(info.qualifiedName) (\(ReviewThresholds.describe(info)))")
            return [ReviewFinding(check: check, message: text, fix: fix)]
        case .unknown:
            let text = message.replacingOccurrences(of: "%@", with: Self.display(table))
                + " (table size unknown offline: review against the target database to know)"
            return [ReviewFinding(check: check, verdict: .warning, message: text, fix: fix)]
        }
    }

    func target(_ reference: RelationReference) -> Target {
        if createdTables.contains(key(reference)) { return .new }
        guard let resolver else { return .unknown }
        return resolver.table(reference).map(Target.existing) ?? .new
    }

    /// The table's identity within the file: its catalog name when it exists, else as written.
    private func key(_ reference: RelationReference) -> String {
        if let table = resolver?.table(reference) { return table.qualifiedName.description }
        return (reference.schema.map { $0 + "." } ?? "") + reference.name
    }

    static func display(_ reference: RelationReference) -> String {
        (reference.schema.map { $0 + "." } ?? "") + reference.name
    }
}
