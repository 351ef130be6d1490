import Foundation

/// A threshold a rule reads, with its documented default. Users override it in the
/// configuration file (`[rules.unused-index] min-stats-age = "14d"`) or with
/// `--set unused-index.min-stats-age=14d`.
public struct RuleParameter: Sendable {
    public var key: String
    public var defaultValue: ParameterValue
    public var summary: String

    public init(_ key: String, _ defaultValue: ParameterValue, _ summary: String) {
        self.key = key
        self.defaultValue = defaultValue
        self.summary = summary
    }

    public var kind: ParameterValue.Kind { defaultValue.kind }
}

/// A typed parameter value.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case duration(seconds: Double)
    case bytes(Int64)
    /// A fraction in 0...1, written as a percentage (`95%`) or a fraction (`0.95`).
    case ratio(Double)
    case count(Int64)
    case number(Double)
    case flag(Bool)

    public enum Kind: String, Sendable {
        case duration, bytes, ratio, count, number, flag

        /// What a value of this kind looks like, for error messages.
        public var example: String {
            switch self {
            case .duration: "a duration such as 500ms, 30s, 5min, 2h or 7d"
            case .bytes: "a size such as 8kB, 10MB or 1GB"
            case .ratio: "a percentage such as 95% or a fraction such as 0.95"
            case .count: "a whole number such as 100"
            case .number: "a number such as 1.5"
            case .flag: "true or false"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .duration: .duration
        case .bytes: .bytes
        case .ratio: .ratio
        case .count: .count
        case .number: .number
        case .flag: .flag
        }
    }

    /// The value in the syntax `parse` accepts: `100ms`, `7d`, `10MB`, `95%`.
    public var description: String {
        switch self {
        case .duration(let seconds): Self.durationText(seconds)
        case .bytes(let bytes): Self.bytesText(bytes)
        case .ratio(let ratio): Self.trimmed(ratio * 100) + "%"
        case .count(let count): String(count)
        case .number(let number): Self.trimmed(number)
        case .flag(let flag): flag ? "true" : "false"
        }
    }

    /// Parses `text` as a value of `kind`; nil when it is not one.
    public static func parse(_ text: String, as kind: Kind) -> ParameterValue? {
        let raw = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .duration:
            guard let (number, unit) = split(raw) else { return nil }
            let factors: [String: Double] = [
                "us": 0.000_001, "ms": 0.001, "s": 1, "sec": 1, "min": 60, "h": 3600, "d": 86_400,
            ]
            if unit.isEmpty && number == 0 { return .duration(seconds: 0) }
            guard let factor = factors[unit.lowercased()], number >= 0 else { return nil }
            return .duration(seconds: number * factor)
        case .bytes:
            guard let (number, unit) = split(raw), number >= 0 else { return nil }
            let factors: [String: Double] = [
                "": 1, "b": 1, "bytes": 1, "kb": 1024, "mb": 1_048_576, "gb": 1_073_741_824,
                "tb": 1_099_511_627_776,
            ]
            guard let factor = factors[unit.lowercased()], number * factor < 9e18 else { return nil }
            return .bytes(Int64((number * factor).rounded()))
        case .ratio:
            if raw.hasSuffix("%") {
                guard let number = Double(raw.dropLast().trimmingCharacters(in: .whitespaces)), number >= 0
                else { return nil }
                return .ratio(number / 100)
            }
            guard let number = Double(raw), number >= 0, number <= 1 else { return nil }
            return .ratio(number)
        case .count:
            guard let number = Int64(raw), number >= 0 else { return nil }
            return .count(number)
        case .number:
            guard let number = Double(raw), number.isFinite else { return nil }
            return .number(number)
        case .flag:
            switch raw.lowercased() {
            case "true", "on", "yes": return .flag(true)
            case "false", "off", "no": return .flag(false)
            default: return nil
            }
        }
    }

    /// `"12.5ms"` → `(12.5, "ms")`.
    private static func split(_ text: String) -> (Double, String)? {
        let numberPart = text.prefix { $0.isNumber || $0 == "." }
        let unit = text.dropFirst(numberPart.count).trimmingCharacters(in: .whitespaces)
        guard !numberPart.isEmpty, let number = Double(numberPart) else { return nil }
        return (number, unit)
    }

    private static func trimmed(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func durationText(_ seconds: Double) -> String {
        let units: [(String, Double)] = [("d", 86_400), ("h", 3600), ("min", 60), ("s", 1), ("ms", 0.001)]
        if seconds == 0 { return "0" }
        for (unit, factor) in units where seconds >= factor {
            let amount = seconds / factor
            if amount == amount.rounded() { return trimmed(amount) + unit }
        }
        return trimmed(seconds * 1000) + "ms"
    }

    private static func bytesText(_ bytes: Int64) -> String {
        let units: [(String, Int64)] = [("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)]
        for (unit, factor) in units where bytes >= factor && bytes % factor == 0 {
            return String(bytes / factor) + unit
        }
        return String(bytes)
    }
}

/// The parameter values one rule runs with: its defaults with the user's overrides applied.
public struct RuleParameters: Sendable {
    public let ruleId: String
    private let values: [String: ParameterValue]

    public init(rule: RuleDescription, overrides: [String: ParameterValue] = [:]) {
        ruleId = rule.id
        var values: [String: ParameterValue] = [:]
        for parameter in rule.parameters { values[parameter.key] = parameter.defaultValue }
        for (key, value) in overrides where values[key]?.kind == value.kind { values[key] = value }
        self.values = values
    }

    public func value(_ key: String) -> ParameterValue {
        guard let value = values[key] else {
            preconditionFailure("rule \(ruleId) reads undeclared parameter \(key)")
        }
        return value
    }

    /// A duration parameter in seconds.
    public func seconds(_ key: String) -> Double {
        guard case .duration(let seconds) = value(key) else { preconditionFailure("\(ruleId).\(key) is not a duration") }
        return seconds
    }

    /// A duration parameter in milliseconds.
    public func milliseconds(_ key: String) -> Double { seconds(key) * 1000 }

    public func bytes(_ key: String) -> Int64 {
        guard case .bytes(let bytes) = value(key) else { preconditionFailure("\(ruleId).\(key) is not a size") }
        return bytes
    }

    public func ratio(_ key: String) -> Double {
        guard case .ratio(let ratio) = value(key) else { preconditionFailure("\(ruleId).\(key) is not a ratio") }
        return ratio
    }

    public func count(_ key: String) -> Int64 {
        guard case .count(let count) = value(key) else { preconditionFailure("\(ruleId).\(key) is not a count") }
        return count
    }

    public func number(_ key: String) -> Double {
        guard case .number(let number) = value(key) else { preconditionFailure("\(ruleId).\(key) is not a number") }
        return number
    }

    public func flag(_ key: String) -> Bool {
        guard case .flag(let flag) = value(key) else { preconditionFailure("\(ruleId).\(key) is not a flag") }
        return flag
    }
}
