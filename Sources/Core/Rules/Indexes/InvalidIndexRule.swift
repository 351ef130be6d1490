import Foundation
import Model

/// Indexes left invalid by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY.
public enum InvalidIndexRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-index",
        title: "Invalid index",
        category: .indexes,
        severity: .critical,
        requirements: [.source("indexes")],
        summary: "Indexes marked invalid (`pg_index.indisvalid = false`), left by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY; critical when the index is still maintained on every write.",
        rationale: """
            The planner never reads an invalid index, yet when it is also ready \
            (`indisready`, the usual state after a failed concurrent build) every insert and \
            update still maintains it: all cost, no benefit, and the index the application expected \
            is missing. Such an index is critical; one that is not even maintained only wastes space \
            and is a warning. A build that is still running is also invalid, so the rule leaves out \
            indexes that an active session of this database is building: its statement is a \
            CREATE INDEX CONCURRENTLY or REINDEX ... CONCURRENTLY naming the index or its table (or \
            a REINDEX SCHEMA/DATABASE CONCURRENTLY). Idle sessions are ignored: their text is the \
            last statement, maybe the one that failed. When sessions were not collected, or some \
            statements are hidden by privileges, every invalid index is reported with a note to \
            check `pg_stat_progress_create_index`. Leftovers of REINDEX CONCURRENTLY (`*_ccnew`, \
            `*_ccold`) only need dropping: the original index is still there. A failed unique build \
            fails again on the same duplicates, so the fix says to remove them before re-creating \
            it. On a partitioned table an invalid index means some partitions lack their index: \
            create and attach them rather than drop.
            """,
        manual: "https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY",
        examples: [
            RuleExample(
                "a failed concurrent unique build, still maintained on writes",
                .triggers([.relation(QualifiedName(schema: "shop", name: "customers_email_key"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.customers", rows: 50_000)],
                    indexes: [
                        Example.index("shop.customers_pkey", on: "shop.customers", columns: ["id"], primary: true, scans: 0),
                        Example.index("shop.customers_email_key", on: "shop.customers", columns: ["email"], unique: true,
                                      valid: false, scans: 0, pages: 200),
                    ],
                    sessions: [
                        SessionInfo(pid: 4242, database: "app", state: "idle", query: "CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON shop.customers (email)"),
                    ])),
            RuleExample(
                "a REINDEX CONCURRENTLY leftover, not maintained",
                .triggers([.relation(QualifiedName(schema: "shop", name: "orders_status_idx_ccnew"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000)],
                    indexes: [
                        Example.index("shop.orders_status_idx", on: "shop.orders", columns: ["status"]),
                        IndexExamples.modified(
                            Example.index("shop.orders_status_idx_ccnew", on: "shop.orders", columns: ["status"],
                                          valid: false, scans: 0, pages: 10)
                        ) { $0.isReady = false },
                    ])),
            RuleExample(
                "an invalid index, sessions not collected",
                .triggers([.relation(QualifiedName(schema: "shop", name: "orders_note_idx"))]),
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000)],
                    indexes: [
                        Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], valid: false, scans: 0),
                    ],
                    missingSources: ["sessions": .denied])),
            RuleExample(
                "a concurrent build in progress",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000), Example.table("shop.events", rows: 10_000)],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0),
                        Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"], valid: false, scans: 0),
                        Example.index("shop.events_kind_idx", on: "shop.events", columns: ["kind"], valid: false, scans: 0),
                    ],
                    sessions: [
                        SessionInfo(pid: 4242, database: "app", state: "active",
                                    query: "create index\n  concurrently orders_note_idx on shop.orders (note)"),
                        SessionInfo(pid: 4243, database: "app", state: "active",
                                    query: "REINDEX (VERBOSE) TABLE CONCURRENTLY shop.events"),
                    ])),
            RuleExample(
                "valid indexes only",
                .passes,
                snapshot: Example.snapshot(
                    tables: [Example.table("shop.orders", rows: 100_000)],
                    indexes: [
                        Example.index("shop.orders_pkey", on: "shop.orders", columns: ["id"], primary: true, scans: 0),
                        Example.index("shop.orders_note_idx", on: "shop.orders", columns: ["note"]),
                    ])),
            RuleExample.withoutSource("indexes", state: .denied, "indexes not collected"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        let invalid = snapshot.indexes.filter { !$0.isValid }
        guard !invalid.isEmpty else { return [] }
        let sessionsUsable = snapshot.source("sessions")?.isUsable ?? false
        let builds = sessionsUsable ? activeBuilds(snapshot) : []
        let hiddenActive = sessionsUsable
            ? snapshot.sessions.filter {
                isThisDatabase($0, snapshot) && ($0.backendType ?? "client backend") == "client backend"
                    && $0.state != "idle" && $0.query == nil
            }.count : 0
        return invalid.compactMap { index in
            if builds.contains(where: { $0.isBuilding(index) }) { return nil }
            return finding(index, sessionsUsable: sessionsUsable, hiddenActive: hiddenActive, context: context)
        }
    }

    /// A concurrent index build or rebuild running in a session, as read from its statement.
    struct Build: Equatable {
        /// Lowercased identifiers of the statement.
        var words: [String]
        /// REINDEX SCHEMA, DATABASE or SYSTEM: may be building any index.
        var wholeSchemaOrDatabase: Bool

        func isBuilding(_ index: IndexInfo) -> Bool {
            if wholeSchemaOrDatabase { return true }
            let names = [index.name, InvalidIndexRule.leftoverBase(index.name) ?? index.name, index.table.name]
                .map { $0.lowercased() }
            return names.contains { words.contains($0) }
        }
    }

    /// The concurrent builds that active sessions of this database are running.
    static func activeBuilds(_ snapshot: Snapshot) -> [Build] {
        snapshot.sessions.compactMap { session in
            guard isThisDatabase(session, snapshot), session.state == "active" || session.state == nil,
                  let query = session.query else { return nil }
            return build(in: query)
        }
    }

    /// The build a statement runs, nil when it is not a concurrent (re)index.
    static func build(in query: String) -> Build? {
        let words = identifierWords(query)
        guard let first = words.firstIndex(where: { $0 == "create" || $0 == "reindex" }),
              words[first...].contains("concurrently") else { return nil }
        if words[first] == "create" {
            // CREATE [UNIQUE] INDEX CONCURRENTLY
            let rest = words[(first + 1)...].drop { $0 == "unique" }
            guard rest.first == "index", rest.dropFirst().first == "concurrently" else { return nil }
            return Build(words: words, wholeSchemaOrDatabase: false)
        }
        let whole = words[first...].contains { $0 == "schema" || $0 == "database" || $0 == "system" }
        return Build(words: words, wholeSchemaOrDatabase: whole)
    }

    /// Identifiers and keywords of a statement, lowercased, with quotes removed:
    /// `CREATE INDEX CONCURRENTLY "Idx" ON shop.t` → `create index concurrently idx on shop t`.
    static func identifierWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "_" || character == "$" {
                current.append(character)
            } else if character != "\"" {
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `orders_status_idx` for `orders_status_idx_ccnew` or `orders_status_idx_ccold2`.
    static func leftoverBase(_ name: String) -> String? {
        for suffix in ["_ccnew", "_ccold"] {
            guard let range = name.range(of: suffix, options: .backwards) else { continue }
            let tail = name[range.upperBound...]
            if tail.allSatisfy(\.isNumber) && range.lowerBound > name.startIndex {
                return String(name[..<range.lowerBound])
            }
        }
        return nil
    }

    private static func isThisDatabase(_ session: SessionInfo, _ snapshot: Snapshot) -> Bool {
        session.database == nil || session.database == snapshot.server.database
    }

    private static func finding(
        _ index: IndexInfo, sessionsUsable: Bool, hiddenActive: Int, context: RuleContext
    ) -> Finding {
        let snapshot = context.snapshot
        let name = SQLQuoting.qualified(index.qualifiedName)
        let table = SQLQuoting.qualified(index.table)
        let bytes = IndexFacts.bytes(index, blockSize: snapshot.server.blockSize)
        let partitioned = context.facts.table(index.table)?.kind == .partitioned
        var evidence: [Evidence] = [
            Evidence("isReady", "maintained on writes", .flag(index.isReady)),
            Evidence("isUnique", "unique", .flag(index.isUnique)),
            Evidence("sizeBytes", "size", .bytes(bytes)),
        ]
        if let definition = index.definition { evidence.append(Evidence("definition", "definition", .text(definition))) }
        var notes: [String] = []
        if !sessionsUsable {
            notes.append("Sessions were not collected, so a build still in progress cannot be ruled out: check "
                + "pg_stat_progress_create_index before dropping.")
        } else if hiddenActive > 0 {
            notes.append("\(hiddenActive) active session(s) of this database have statements this role may not see; "
                + "one may still be building the index: check pg_stat_progress_create_index before dropping.")
        }
        let impact = Impact(score: IndexFacts.shareOfDatabase(bytes, snapshot), summary: "\(Format.bytes(bytes)) of invalid index")

        if partitioned {
            return Finding(
                rule: description.id, severity: .warning, target: .relation(index.qualifiedName),
                message: "index \(name) on the partitioned table \(table) is invalid: some partitions have no "
                    + "attached index, so the partitioned index is incomplete.",
                evidence: evidence,
                remediations: [.manual(
                    "create the missing index on each partition that lacks it (CREATE INDEX CONCURRENTLY), then "
                        + "ALTER INDEX \(name) ATTACH PARTITION each one; the index becomes valid when every "
                        + "partition has one")],
                impact: impact, notes: notes)
        }

        let severity: Severity = index.isReady ? .critical : .warning
        let cost = index.isReady
            ? "it is never used for reads but still maintained on every write"
            : "it is never used for reads and takes \(Format.bytes(bytes))"
        var remediations: [Remediation] = [.dropIndex(index.qualifiedName, definition: index.definition)]
        let message: String
        if let base = leftoverBase(index.name) {
            let original = QualifiedName(schema: index.schema, name: base)
            let exists = context.facts.indexes(on: index.table).contains { $0.name == base }
            message = "index \(name) on \(table) is an invalid leftover of a failed REINDEX CONCURRENTLY of "
                + "\(SQLQuoting.qualified(original))"
                + (exists ? ", which still exists" : "") + ": \(cost)."
            evidence.append(Evidence("leftoverOf", "leftover of", .text(SQLQuoting.qualified(original))))
        } else {
            message = "index \(name) on \(table) is invalid, most likely left by a failed CREATE INDEX "
                + "CONCURRENTLY or REINDEX CONCURRENTLY: \(cost), and the index the application expects is missing."
            if index.isUnique {
                let columns = IndexShape(index)?.display ?? "its columns"
                remediations.append(.manual(
                    "remove the duplicate values of \(table) \(columns) first: the unique build failed on them and "
                        + "fails again until they are gone"))
            }
            if let definition = index.definition, let concurrent = concurrentDefinition(definition) {
                remediations.append(.manual("re-create it without blocking writes: \(concurrent)"))
            }
            notes.append("A failed REINDEX CONCURRENTLY leaves `_ccnew` (new copy) or `_ccold` (old copy) indexes "
                + "behind; they are invalid and only need dropping, since the original index is still there.")
        }
        return Finding(
            rule: description.id, severity: severity, target: .relation(index.qualifiedName), message: message,
            evidence: evidence, remediations: remediations, impact: impact, notes: notes)
    }

    /// `CREATE INDEX CONCURRENTLY ...` from a `pg_get_indexdef` text (`CREATE [UNIQUE] INDEX ...`).
    static func concurrentDefinition(_ definition: String) -> String? {
        for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] where definition.hasPrefix(prefix) {
            return prefix + "CONCURRENTLY " + definition.dropFirst(prefix.count)
        }
        return nil
    }
}
