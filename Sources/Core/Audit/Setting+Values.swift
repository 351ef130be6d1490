import Model

extension Setting {
    /// The value as a number, nil for non-numeric settings.
    public var number: Double? { Double(value) }

    /// Memory settings in bytes (`value` × `unit`, whole kB); nil when the setting is not a size or is -1.
    public var bytes: Int64? { MemoryUnits.settingValue(value, unit: unit).map { $0 * 1024 } }

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
