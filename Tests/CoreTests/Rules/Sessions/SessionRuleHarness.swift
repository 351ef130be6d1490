import Core
import Model

/// Runs one rule through the engine, as an audit would.
enum SessionRuleHarness {
    static func findings(
        _ rule: any Rule.Type, _ snapshot: Snapshot, parameters: [String: String] = [:]
    ) throws -> [Finding] {
        let configuration = try AuditConfiguration.parse([rule.description.id: parameters])
        return Auditor(rules: [rule], configuration: configuration).run(snapshot).findings
    }

    static func manualTexts(_ finding: Finding) -> [String] {
        finding.remediations.compactMap { if case .manual(let text) = $0 { text } else { nil } }
    }
}
