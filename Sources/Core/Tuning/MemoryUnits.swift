/// Memory sizes in PostgreSQL's units: parsing what users and `pg_settings` give us, and printing
/// values the way PGTune and `SHOW` do. Every size is an `Int64` count of kB (1 kB = 1024 bytes)
/// unless a function says bytes; every unit is binary (1 MB = 1024 kB).
///
/// No function traps: malformed text, negative numbers and results that do not fit in `Int64`
/// give nil.
public enum MemoryUnits {
    /// kB in one MB, GB and TB.
    static let kBPerMB: Int64 = 1024
    static let kBPerGB: Int64 = 1_048_576
    static let kBPerTB: Int64 = 1_073_741_824

    /// PGTune's printing rule: `{n}GB` when `kB` is a whole number of GB, else `{n}MB` when it is a
    /// whole number of MB, else `{n}kB`. PGTune never prints TB (1 TB is `1024GB`).
    public static func format(kB: Int64) -> String {
        if kB % kBPerGB == 0 { return "\(kB / kBPerGB)GB" }
        if kB % kBPerMB == 0 { return "\(kB / kBPerMB)MB" }
        return "\(kB)kB"
    }

    /// A size in bytes as a memory setting's value: rounded up to whole kB (memory settings have
    /// no smaller unit), then in the largest exact unit (`2GB`, `1536MB`, `1kB` for 1000 bytes).
    public static func display(bytes: Int64) -> String {
        display(kB: (max(0, bytes) + 1023) / 1024)
    }

    /// A size in the largest unit among TB, GB, MB and kB that divides it exactly, as `SHOW`
    /// prints memory settings: `8MB`, `16GB`, `1TB`, `3932kB`. Zero and negative values (which
    /// no unit describes better than another) are printed in kB: `0kB`, `-1kB`.
    public static func display(kB: Int64) -> String {
        let (amount, unit) = largestExactUnit(kB: kB)
        return "\(amount)\(unit)"
    }

    /// `display(kB:)` with a space before the unit, for sentences: `24 GB`, `3932 kB`.
    static func prose(kB: Int64) -> String {
        let (amount, unit) = largestExactUnit(kB: kB)
        return "\(amount) \(unit)"
    }

    /// The amount and unit `display(kB:)` prints.
    static func largestExactUnit(kB: Int64) -> (amount: Int64, unit: String) {
        guard kB > 0 else { return (kB, "kB") }
        if kB % kBPerTB == 0 { return (kB / kBPerTB, "TB") }
        if kB % kBPerGB == 0 { return (kB / kBPerGB, "GB") }
        if kB % kBPerMB == 0 { return (kB / kBPerMB, "MB") }
        return (kB, "kB")
    }

    /// A memory value in PostgreSQL's syntax, in kB: a whole number followed by an optional unit
    /// (`kB`, `MB`, `GB`, `TB`, or `B` for bytes), with an optional space between them. A bare
    /// number is kB (the unit of most memory settings). Units are matched case-insensitively
    /// (`8kb`, `64 mb`), which PostgreSQL itself does not allow but users type.
    ///
    /// Returns nil for signs, fractions, unknown units, results over `Int64.max` kB, and byte
    /// counts that are not a whole number of kB (`1536B`), since the result is in kB.
    public static func parse(_ text: String) -> Int64? {
        guard let (digits, unit) = split(text), !digits.contains("."),
              let number = Int64(digits) else { return nil }
        if unit == "b" {
            return number % 1024 == 0 ? number / 1024 : nil
        }
        guard let factor = kBFactor(unit.isEmpty ? "kb" : unit) else { return nil }
        return multiplied(number, factor)
    }

    /// A size for the command line, in bytes: a number with a required unit `B`, `kB`, `MB`, `GB`
    /// or `TB` (binary, case-insensitive, optional space): `24GB`, `512MB`, `2.5GB`, `1 tb`.
    ///
    /// A decimal fraction is allowed (`2.5GB` is 2,684,354,560 bytes); a result that is not a
    /// whole number of bytes is rounded down (`0.1GB` is 107,374,182 bytes). A bare number is
    /// refused (nil) because it is ambiguous for RAM: the caller should ask for a unit. Also nil
    /// for signs, exponents, `.5` or `2.` without digits on both sides, more than 18 fractional
    /// digits, unknown units and results over `Int64.max` bytes.
    public static func bytes(_ text: String) -> Int64? {
        guard let (number, unit) = split(text), !unit.isEmpty,
              let factor = unit == "b" ? 1 : kBFactor(unit).flatMap({ multiplied($0, 1024) })
        else { return nil }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]),
              let wholeBytes = multiplied(whole, factor) else { return nil }
        guard parts.count == 2 else { return wholeBytes }
        let fraction = parts[1]
        guard !fraction.isEmpty, fraction.count <= 18, let numerator = Int64(fraction) else { return nil }
        // factor × numerator / 10^digits, exact in 128 bits, then rounded down.
        var denominator: Int64 = 1
        for _ in 0..<fraction.count { denominator *= 10 }
        let product = factor.multipliedFullWidth(by: numerator)
        let (fractionBytes, _) = denominator.dividingFullWidth((product.high, product.low))
        let (sum, overflow) = wholeBytes.addingReportingOverflow(fractionBytes)
        return overflow ? nil : sum
    }

    /// A memory setting as `pg_settings` reports it (`setting` in multiples of `unit`), in kB.
    ///
    /// `unit` is a memory unit optionally preceded by a multiplier, as PostgreSQL names them:
    /// `8kB` (shared_buffers, wal_buffers, effective_cache_size), `kB` (work_mem), `MB`
    /// (min_wal_size and max_wal_size since PostgreSQL 11), `16MB` (WAL segments: their unit
    /// before 11), `B` (track_activity_query_size). Byte values are rounded down to whole kB.
    ///
    /// Returns nil for `-1` ("use another setting") and any other negative value, for a
    /// non-integer setting, and for a missing or non-memory unit (`ms`, `s`, nil).
    public static func settingValue(_ raw: String, unit: String?) -> Int64? {
        guard let unit, let value = Int64(raw), value >= 0 else { return nil }
        let multiplierDigits = unit.prefix { $0.isASCII && $0.isNumber }
        let unitName = unit.dropFirst(multiplierDigits.count).lowercased()
        var multiplier: Int64 = 1
        if !multiplierDigits.isEmpty {
            guard let parsed = Int64(multiplierDigits), parsed > 0 else { return nil }
            multiplier = parsed
        }
        guard let count = multiplied(value, multiplier) else { return nil }
        if unitName == "b" { return count / 1024 }
        guard let factor = kBFactor(unitName) else { return nil }
        return multiplied(count, factor)
    }

    /// The lowercased unit names of memory units of at least 1 kB, with their size in kB.
    private static func kBFactor(_ unit: String) -> Int64? {
        switch unit {
        case "kb": return 1
        case "mb": return kBPerMB
        case "gb": return kBPerGB
        case "tb": return kBPerTB
        default: return nil
        }
    }

    /// `text` without surrounding whitespace, split into its leading number (ASCII digits and
    /// dots) and its unit (lowercased, without the optional space). Nil when there is no number
    /// or the unit contains whitespace.
    private static func split(_ text: String) -> (number: String, unit: String)? {
        let trimmed = text.trimmingWhitespace()
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty else { return nil }
        var rest = trimmed.dropFirst(number.count)
        if rest.first == " " { rest = rest.dropFirst() }
        guard !rest.contains(where: { $0.isWhitespace }) else { return nil }
        return (String(number), rest.lowercased())
    }

    /// `a × b`, nil when it overflows.
    private static func multiplied(_ a: Int64, _ b: Int64) -> Int64? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }
}

private extension String {
    /// The string without leading and trailing whitespace (no Foundation needed).
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return String(self[start..<end])
    }
}
