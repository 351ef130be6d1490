import Testing
import Core
import Model

/// Runs one rule through the engine, as an audit would.
enum SessionRuleHarness {
    static func findings(
        _ rule: any Rule.Type, _ snapshot: Snapshot, parameters: [String: String] = [:]
    ) throws -> [Finding] {
        let configuration = try AuditConfiguration.parse([rule.description.id: parameters])
        let result = Auditor(rules: [rule], configuration: configuration).run(snapshot)
        // A rule that was skipped finds nothing: "no finding" must mean it judged the snapshot.
        #expect(result.skipped.isEmpty, "\(rule.description.id) skipped: \(result.skipped.map(\.reason))")
        return result.findings
    }

    static func manualTexts(_ finding: Finding) -> [String] {
        finding.remediations.compactMap { if case .manual(let text) = $0 { text } else { nil } }
    }
}
