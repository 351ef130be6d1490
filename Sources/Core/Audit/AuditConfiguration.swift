/// What the user changed about the audit: rules turned off and parameter overrides, validated
/// against the rules' own descriptions so that a typo is an error, not a silent default.
public struct AuditConfiguration: Sendable, Equatable {
    public var disabledRules: Set<String>
    /// Overrides by rule id, then parameter key.
    public var parameters: [String: [String: ParameterValue]]

    public init(disabledRules: Set<String> = [], parameters: [String: [String: ParameterValue]] = [:]) {
        self.disabledRules = disabledRules
        self.parameters = parameters
    }

    /// Reads overrides given as text (from a configuration file or `--set`): for each rule id,
    /// `enabled` (true/false) and parameter values in their documented syntax.
    public static func parse(
        _ raw: [String: [String: String]], rules: [RuleDescription] = RuleRegistry.descriptions
    ) throws(ConfigurationError) -> AuditConfiguration {
        var configuration = AuditConfiguration()
        for (ruleId, entries) in raw.sorted(by: { $0.key < $1.key }) {
            try configuration.apply(ruleId: ruleId, entries: entries, rules: rules)
        }
        return configuration
    }

    /// Applies one rule's overrides on top of this configuration.
    public mutating func apply(
        ruleId: String, entries: [String: String], rules: [RuleDescription] = RuleRegistry.descriptions
    ) throws(ConfigurationError) {
        guard let rule = rules.first(where: { $0.id == ruleId }) else {
            throw ConfigurationError("unknown rule '\(ruleId)': 'pgadvisor rules' lists the rule ids")
        }
        for (key, text) in entries.sorted(by: { $0.key < $1.key }) {
            if key == "enabled" {
                guard case .flag(let enabled)? = ParameterValue.parse(text, as: .flag) else {
                    throw ConfigurationError("\(ruleId).enabled must be true or false, not '\(text)'")
                }
                if enabled { disabledRules.remove(ruleId) } else { disabledRules.insert(ruleId) }
                continue
            }
            guard let parameter = rule.parameter(key) else {
                let known = (["enabled"] + rule.parameters.map(\.key)).joined(separator: ", ")
                throw ConfigurationError("rule \(ruleId) has no parameter '\(key)': it takes \(known)")
            }
            guard let value = ParameterValue.parse(text, as: parameter.kind) else {
                throw ConfigurationError("\(ruleId).\(key) takes \(parameter.kind.example), not '\(text)'")
            }
            parameters[ruleId, default: [:]][key] = value
        }
    }
}

/// A configuration value that does not fit the rules; the message says what to write instead.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
