import Model

extension Setting {
    /// The value as a number, nil for non-numeric settings.
    public var number: Double? { Double(value) }

    /// Memory settings in bytes (`value` × `unit`); nil when the setting is not a size or is -1.
    public var bytes: Int64? {
        guard let number, number >= 0 else { return nil }
        let factor: Double
        switch unit {
        case "B": factor = 1
        case "kB": factor = 1024
        case "8kB": factor = 8192
        case "MB": factor = 1_048_576
        case "16MB": factor = 16_777_216
        case "GB": factor = 1_073_741_824
        default: return nil
        }
        return Int64(number * factor)
    }

    /// Time settings in milliseconds; nil when the setting is not a duration or is -1.
    public var milliseconds: Double? {
        guard let number, number >= 0 else { return nil }
        switch unit {
        case "us": return number / 1000
        case "ms": return number
        case "s": return number * 1000
        case "min": return number * 60_000
        case "h": return number * 3_600_000
        case "d": return number * 86_400_000
        default: return nil
        }
    }
}

extension Snapshot {
    /// A numeric setting, nil when absent or not numeric.
    public func number(_ setting: String) -> Double? { self.setting(setting)?.number }
}
