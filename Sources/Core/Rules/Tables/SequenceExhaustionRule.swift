import Model
import Planner

/// Sequences close to the end of their range, or of the range of the column they feed.
public enum SequenceExhaustionRule: Rule {
    public static let description = RuleDescription(
        id: "sequence-exhaustion",
        title: "Sequence exhaustion",
        category: .tables,
        severity: .warning,
        requirements: [.source("sequences")],
        summary: "Sequences that have used 75 % (critical: 90 %) of their own range or of the range of the column they feed, whichever is tighter.",
        rationale: """
            When a sequence reaches its maximum (or minimum, counting down) `nextval` fails, and every \
            insert relying on it fails with it. A serial or identity `integer` column fed by a `bigint` \
            sequence fails earlier, at 2,147,483,647, whatever the sequence allows: the used share is \
            taken against both the sequence's own range (from its minimum to its maximum, reversed for \
            negative increments) and the column type's limit (smallint 32,767, integer 2,147,483,647, \
            bigint), and the tighter one counts. `warning-share` and `critical-share` set the \
            thresholds (PgHero warns at 90 %, check_postgres at 85 % and 95 %). A cycling sequence \
            wraps around instead of failing, so only the column's limit counts for it. Sequences whose \
            last value the role could not read are not judged; if none could be read the rule is \
            skipped. Widening an integer column rewrites the table under an ACCESS EXCLUSIVE lock, so \
            the warning comes early enough to plan it.
            """,
        manual: "https://www.postgresql.org/docs/current/sql-altersequence.html",
        parameters: [
            RuleParameter("warning-share", .ratio(0.75), "Used share of the range that is reported."),
            RuleParameter("critical-share", .ratio(0.9), "Used share of the range that is critical."),
        ],
        examples: [
            RuleExample("the demo's tickets_id_seq at 93 % of an integer column",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "tickets_id_seq"))]),
                        snapshot: Example.snapshot(
                            tables: [Example.table("shop.tickets", rows: 10, columns: TableExamples.columns([("id", "integer"), ("subject", "text")]))],
                            sequences: [ticketsSequence(lastValue: 2_000_000_010)])),
            RuleExample("a bigint sequence feeding an integer column at 80 %",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "orders_id_seq"))]),
                        snapshot: Example.snapshot(sequences: [
                            SequenceInfo(schema: "shop", name: "orders_id_seq", dataType: "bigint", lastValue: 1_717_986_918,
                                         lastValueState: .read,
                                         ownedBy: .init(table: QualifiedName(schema: "shop", name: "orders"), column: "id",
                                                        columnType: "integer")),
                        ])),
            RuleExample("a descending smallint sequence near its minimum",
                        .triggers([.relation(QualifiedName(schema: "shop", name: "countdown_seq"))]),
                        snapshot: Example.snapshot(sequences: [
                            SequenceInfo(schema: "shop", name: "countdown_seq", dataType: "smallint", startValue: -1,
                                         minValue: -32768, maxValue: -1, increment: -1, lastValue: -30_000, lastValueState: .read),
                        ])),
            RuleExample("an integer sequence at 60 %, a cycling one at 99 %, one never used, one unreadable", .passes,
                        snapshot: Example.snapshot(sequences: [
                            ticketsSequence(lastValue: 1_288_490_189),
                            SequenceInfo(schema: "shop", name: "ring_seq", dataType: "integer", maxValue: 1000, cycles: true,
                                         lastValue: 990, lastValueState: .read),
                            SequenceInfo(schema: "shop", name: "fresh_seq", dataType: "integer", maxValue: 2_147_483_647),
                            SequenceInfo(schema: "secret", name: "hidden_seq", dataType: "integer", maxValue: 2_147_483_647,
                                         lastValueState: .notPermitted),
                        ])),
            RuleExample.withoutSource("sequences", state: .denied, "sequences not collected"),
        ]
    )

    static let typeLimits: [String: (min: Int64, max: Int64)] = [
        "smallint": (-32768, 32767), "integer": (-2_147_483_648, 2_147_483_647),
        "bigint": (Int64.min, Int64.max),
    ]

    /// How far a sequence has advanced towards one limit.
    struct Usage: Equatable {
        var share: Double
        /// Values left before the limit (not divided by the increment).
        var remaining: Int64
        var limit: Int64
        /// `the sequence's maximum`, `the integer column's maximum`, ...
        var what: String
    }

    /// Used share of the sequence's own range, in the direction it moves; nil for cycling sequences.
    static func sequenceUsage(_ sequence: SequenceInfo, last: Int64) -> Usage? {
        guard !sequence.cycles else { return nil }
        let span = Double(sequence.maxValue) - Double(sequence.minValue)
        guard span > 0 else { return nil }
        if sequence.increment >= 0 {
            return Usage(share: clamp((Double(last) - Double(sequence.minValue)) / span),
                         remaining: difference(sequence.maxValue, last), limit: sequence.maxValue, what: "the sequence's maximum")
        }
        return Usage(share: clamp((Double(sequence.maxValue) - Double(last)) / span),
                     remaining: difference(last, sequence.minValue), limit: sequence.minValue, what: "the sequence's minimum")
    }

    /// Used share of the owning column's type range, measured from the sequence's own start
    /// bound (its minimum counting up, its maximum counting down); nil without a known integer
    /// type, or when the sequence stops (or wraps) before the column's limit.
    static func columnUsage(_ sequence: SequenceInfo, last: Int64) -> Usage? {
        guard let owned = sequence.ownedBy, let limits = typeLimits[owned.columnType] else { return nil }
        if sequence.increment >= 0 {
            let floor = max(sequence.minValue, limits.min)
            let span = Double(limits.max) - Double(floor)
            guard span > 0, limits.max <= sequence.maxValue else { return nil }
            return Usage(share: clamp((Double(last) - Double(floor)) / span), remaining: difference(limits.max, last),
                         limit: limits.max, what: "the \(owned.columnType) column's maximum")
        }
        let ceiling = min(sequence.maxValue, limits.max)
        let span = Double(ceiling) - Double(limits.min)
        guard span > 0, limits.min >= sequence.minValue else { return nil }
        return Usage(share: clamp((Double(ceiling) - Double(last)) / span), remaining: difference(last, limits.min),
                     limit: limits.min, what: "the \(owned.columnType) column's minimum")
    }

    static func clamp(_ value: Double) -> Double { value.isFinite ? min(1, max(0, value)) : 0 }

    /// `a − b`, saturating instead of overflowing; never negative.
    static func difference(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? Int64.max : max(0, value)
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let sequences = context.snapshot.sequences
        let unreadable = sequences.filter { $0.lastValueState == .notPermitted || $0.lastValueState == .locked }
        if !sequences.isEmpty, unreadable.count == sequences.count {
            let denied = unreadable.contains { $0.lastValueState == .notPermitted }
            throw RuleSkip("the last value of none of the \(sequences.count) sequences could be read: "
                + (denied ? StatementSQL.grantReadSequences(to: context.snapshot.role.name)
                          : "they were locked by other sessions; take another snapshot"))
        }
        let warning = context.parameters.ratio("warning-share")
        let critical = context.parameters.ratio("critical-share")
        var referencing: [QualifiedName: [ConstraintInfo]] = [:]
        for constraint in context.snapshot.constraints where constraint.kind == .foreignKey {
            if let target = constraint.referencedTable { referencing[target, default: []].append(constraint) }
        }
        return sequences.compactMap { sequence -> Finding? in
            guard sequence.lastValueState == .read, let last = sequence.lastValue else { return nil }
            // The column first: on a tie (an integer sequence feeding an integer column) it is what to widen.
            let usages = [columnUsage(sequence, last: last), sequenceUsage(sequence, last: last)].compactMap { $0 }
            var tightest: Usage?
            for usage in usages where usage.share > (tightest?.share ?? -1) { tightest = usage }
            guard let tightest, tightest.share >= warning else { return nil }
            return finding(sequence, last: last, usage: tightest, all: usages, critical: critical,
                           referencing: referencing, facts: context.facts)
        }
    }

    static func finding(
        _ sequence: SequenceInfo, last: Int64, usage: Usage, all: [Usage], critical: Double,
        referencing: [QualifiedName: [ConstraintInfo]], facts: SnapshotFacts
    ) -> Finding {
        let name = SQLQuoting.qualified(sequence.qualifiedName)
        let step = max(1, sequence.increment.magnitude)
        let calls = usage.remaining / Int64(clamping: step)
        var message = "sequence \(name)"
        if let owned = sequence.ownedBy {
            message += ", which feeds \(SQLQuoting.qualified(owned.table)).\(SQLQuoting.identifier(owned.column)) (\(owned.columnType)),"
        }
        message += " has used \(Format.percent(usage.share)) of its range up to \(usage.what) "
            + "(last value \(Format.count(last)) of \(Format.count(usage.limit))); "
            + "\(Format.magnitude(calls)) values remain before inserts fail."
        var evidence: [Evidence] = [
            Evidence("lastValue", "last value", .count(last)),
            Evidence("usedShare", "used share (tightest limit)", .ratio(usage.share)),
            Evidence("limitingFactor", "limit reached first", .text(usage.what)),
            Evidence("limit", "that limit", .count(usage.limit)),
            Evidence("remainingValues", "values left", .count(calls)),
            Evidence("sequenceType", "sequence type", .text(sequence.dataType)),
            Evidence("minValue", "sequence minimum", .count(sequence.minValue)),
            Evidence("maxValue", "sequence maximum", .count(sequence.maxValue)),
            Evidence("increment", "increment", .count(sequence.increment)),
            Evidence("cycles", "cycles", .flag(sequence.cycles)),
        ]
        for other in all where other.limit != usage.limit {
            evidence.append(Evidence("otherUsedShare", "used share of \(other.what)", .ratio(other.share)))
        }
        var remediations: [Remediation] = []
        var notes: [String] = []
        let columnNarrow = sequence.ownedBy.map { $0.columnType == "integer" || $0.columnType == "smallint" } ?? false
        let sequenceNarrow = sequence.dataType == "integer" || sequence.dataType == "smallint"
        if let owned = sequence.ownedBy {
            evidence += [
                Evidence("table", "table", .text(SQLQuoting.qualified(owned.table))),
                Evidence("column", "column", .text(owned.column)),
                Evidence("columnType", "column type", .text(owned.columnType)),
                Evidence("identity", "identity column", .flag(owned.isIdentity)),
            ]
            if columnNarrow {
                remediations.append(.alterColumnType(owned.table, column: owned.column, type: "bigint"))
                let referencingColumns = (referencing[owned.table] ?? []).filter { $0.referencedColumns == [owned.column] }
                for constraint in referencingColumns {
                    guard constraint.columns.count == 1, let column = facts.table(constraint.table)?.column(named: constraint.columns[0]),
                          column.type == "integer" || column.type == "smallint" else { continue }
                    remediations.append(.alterColumnType(constraint.table, column: column.name, type: "bigint"))
                }
                if !referencingColumns.isEmpty {
                    evidence.append(Evidence("referencingForeignKeys", "foreign keys referencing the column",
                                             .list(referencingColumns.map { "\(SQLQuoting.qualified($0.table)).\($0.name)" })))
                }
                notes.append("ALTER COLUMN ... TYPE bigint rewrites the table and its indexes under an ACCESS EXCLUSIVE lock "
                    + "(referencing foreign key columns too). For a big table, add a bigint column instead, backfill it in "
                    + "batches, and swap it in with a short lock.")
            }
        }
        if sequenceNarrow {
            remediations.append(.alterSequenceType(sequence.qualifiedName, type: "bigint"))
        }
        if remediations.isEmpty {
            let atTypeLimit = typeLimits[sequence.dataType].map {
                sequence.increment >= 0 ? sequence.maxValue >= $0.max : sequence.minValue <= $0.min
            } ?? true
            let bound = sequence.increment >= 0 ? "MAXVALUE" : "MINVALUE"
            remediations.append(.manual(atTypeLimit
                ? "The sequence is at the end of the bigint range: move the key to a wider or different type "
                    + "(numeric, uuid) or restart the sequence at unused values, and plan the migration now."
                : "Raise the sequence's limit with ALTER SEQUENCE \(name) \(bound) ..., up to what the column's type allows."))
        } else if sequenceNarrow, sequence.increment >= 0,
                  sequence.maxValue < (typeLimits[sequence.dataType]?.max ?? Int64.max) {
            notes.append("The sequence has its own MAXVALUE below its type's limit; ALTER SEQUENCE ... AS bigint keeps it: "
                + "raise it with MAXVALUE as well.")
        }
        return Finding(
            rule: description.id, severity: usage.share >= critical ? .critical : .warning,
            target: .relation(sequence.qualifiedName), message: message, evidence: evidence, remediations: remediations,
            impact: Impact(score: usage.share, summary: "\(Format.percent(usage.share)) of \(usage.what) used"),
            notes: notes)
    }

    static func ticketsSequence(lastValue: Int64) -> SequenceInfo {
        SequenceInfo(schema: "shop", name: "tickets_id_seq", dataType: "integer", maxValue: 2_147_483_647, lastValue: lastValue,
                     lastValueState: .read, ownedBy: .init(table: QualifiedName(schema: "shop", name: "tickets"), column: "id",
                                                           columnType: "integer"))
    }
}
