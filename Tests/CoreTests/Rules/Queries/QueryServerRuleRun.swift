import Testing
import Core
import Model

/// Runs one rule of the query or server category on a snapshot, for the tests in these folders.
enum QueryServerRuleRun {
    static func run(_ rule: any Rule.Type, _ snapshot: Snapshot, _ parameters: [String: String] = [:]) throws -> AuditResult {
        let configuration = try AuditConfiguration.parse([rule.description.id: parameters])
        return Auditor(rules: [rule], configuration: configuration).run(snapshot)
    }

    static func findings(_ rule: any Rule.Type, _ snapshot: Snapshot, _ parameters: [String: String] = [:]) throws -> [Finding] {
        let result = try run(rule, snapshot, parameters)
        #expect(result.skipped.isEmpty, "skipped: \(result.skipped.map(\.reason))")
        return result.findings
    }
}
