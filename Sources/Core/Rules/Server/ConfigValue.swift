import Model

/// Setting values written the way `postgresql.conf` and `ALTER SYSTEM` accept them, for the
/// remediations of the query and server rules (sizes: `MemoryUnits.display(bytes:)`, lists:
/// `SettingList`).
public enum ConfigValue {
    /// Milliseconds in the largest unit that divides them exactly: `1s`, `30s`, `1min`, `250ms`.
    public static func duration(ms: Double) -> String {
        let whole = Int64(max(0, ms).rounded())
        let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000)]
        for (unit, factor) in units where whole >= factor && whole % factor == 0 {
            return "\(whole / factor)\(unit)"
        }
        return "\(whole)ms"
    }

    /// The smallest power of two at or above `value` (at least 1).
    public static func powerOfTwo(atLeast value: Int64) -> Int64 {
        var power: Int64 = 1
        while power < value && power < Int64.max / 2 { power *= 2 }
        return power
    }

    /// The largest power of two not above `value` (1 for values below 2).
    public static func powerOfTwo(atMost value: Int64) -> Int64 {
        var power: Int64 = 1
        while power * 2 <= value && power < Int64.max / 2 { power *= 2 }
        return power
    }
}
