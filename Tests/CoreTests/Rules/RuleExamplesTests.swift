import Core
import Foundation
import Model
import Testing

/// Runs every example of every rule: must trigger on exactly the named targets, pass, be
/// skipped with the stated reason, or be skipped while listing the named targets to watch; then the same with unrelated healthy objects added.
@Suite struct RuleExamplesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: any Rule.Type
        let example: RuleExample
        var testDescription: String { "\(rule.description.id): \(example.name)" }
    }

    static let cases: [Case] = RuleRegistry.all.flatMap { rule in
        rule.description.examples.map { Case(rule: rule, example: $0) }
    }

    @Test(arguments: cases)
    func example(_ c: Case) throws {
        try check(c, snapshot: c.example.snapshot)
    }

    @Test(arguments: cases)
    func exampleWithNoise(_ c: Case) throws {
        try check(c, snapshot: Noise.add(to: c.example.snapshot))
    }

    @Test func everyRuleHasTriggeringAndPassingExamples() {
        for rule in RuleRegistry.all {
            let expectations = rule.description.examples.map(\.expectation)
            #expect(expectations.contains { if case .triggers = $0 { true } else { false } }, "\(rule.description.id)")
            #expect(expectations.contains(.passes), "\(rule.description.id)")
        }
    }

    private func check(_ c: Case, snapshot: Snapshot) throws {
        let id = c.rule.description.id
        let configuration = try AuditConfiguration.parse([id: c.example.parameters])
        let result = Auditor(rules: [c.rule], configuration: configuration, host: c.example.host).run(snapshot)
        switch c.example.expectation {
        case .triggers(let targets):
            #expect(result.skipped.isEmpty, "not skipped: \(result.skipped.map(\.reason))")
            #expect(Set(result.findings.map(\.target)) == Set(targets))
            for finding in result.findings {
                #expect(finding.rule == id)
                #expect(!finding.message.isEmpty)
                #expect(!finding.evidence.isEmpty, "a finding carries its numbers")
            }
        case .passes:
            #expect(result.skipped.isEmpty, "not skipped: \(result.skipped.map(\.reason))")
            #expect(result.findings.isEmpty, "no finding, got: \(result.findings.map(\.message))")
        case .skipped(let reason):
            #expect(result.findings.isEmpty)
            let skip = try #require(result.skipped.first)
            #expect(skip.rule == id)
            #expect(skip.reason.contains(reason), "reason: \(skip.reason)")
        case .watches(let reason, let targets):
            let skip = try #require(result.skipped.first)
            #expect(skip.rule == id)
            #expect(skip.reason.contains(reason), "reason: \(skip.reason)")
            #expect(Set(result.findings.map(\.target)) == Set(targets))
            #expect(result.findings.allSatisfy { $0.severity == .info && $0.rule == id && $0.remediations.isEmpty })
        }
    }
}

/// Healthy objects unrelated to any example: a used table with its primary key, a fast
/// statement, an idle session, a sequence far from its limit.
enum Noise {
    static func add(to snapshot: Snapshot) -> Snapshot {
        var s = snapshot
        let table = Example.table("noise.healthy", rows: 5000, rowWidth: 16, columns: [
            Column(name: "id", position: 1, type: "bigint", notNull: true),
            Column(name: "n", position: 2, type: "integer"),
        ])
        s.tables.append(table)
        s.indexes.append(Example.index("noise.healthy_pkey", on: "noise.healthy", columns: ["id"], primary: true,
                                       scans: 40_000, rows: 5000, pages: 14))
        s.constraints.append(ConstraintInfo(
            schema: "noise", name: "healthy_pkey", kind: .primaryKey, table: table.qualifiedName, columns: ["id"],
            index: "healthy_pkey"))
        s.columnStats += [
            ColumnStats(schema: "noise", table: "healthy", column: "id", averageWidth: 8, distinctValues: -1),
            ColumnStats(schema: "noise", table: "healthy", column: "n", averageWidth: 4, distinctValues: 100),
        ]
        s.sequences.append(SequenceInfo(
            schema: "noise", name: "healthy_id_seq", dataType: "bigint", lastValue: 5000, lastValueState: .read,
            ownedBy: .init(table: table.qualifiedName, column: "id", columnType: "bigint")))
        if !s.statements.isEmpty {
            s.statements.append(Example.statement(9_999_001, "SELECT n FROM noise.healthy WHERE id = $1",
                                                  calls: 1, meanMs: 0.01))
        }
        s.sessions.append(SessionInfo(
            pid: 99_001, database: "app", user: "app", applicationName: "noise", state: "idle",
            backendStart: Example.ago(days: 1), stateChange: Example.ago(seconds: 2), query: "COMMIT"))
        return s
    }
}
