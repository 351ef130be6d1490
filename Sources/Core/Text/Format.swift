import Foundation

/// Number formatting shared by the text and Markdown reports. Deterministic: no locale.
public enum Format {
    /// 1024-based sizes with PostgreSQL's unit names (`pg_size_pretty`): `8192 bytes`, `12 MB`.
    public static func bytes(_ value: Int64) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB"]
        var amount = Double(value)
        var unit = 0
        while abs(amount) >= 1024 * 10 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        if unit == 0 { return "\(value) bytes" }
        return "\(Int(amount.rounded())) \(units[unit])"
    }

    /// Milliseconds as `0.42 ms`, `12.3 ms`, `4.56 s`, `7.8 min`, `2.1 h`.
    public static func duration(ms: Double) -> String {
        switch ms {
        case ..<10: return String(format: "%.2f ms", ms)
        case ..<1000: return String(format: "%.1f ms", ms)
        case ..<60_000: return String(format: "%.2f s", ms / 1000)
        case ..<3_600_000: return String(format: "%.1f min", ms / 60_000)
        default: return String(format: "%.1f h", ms / 3_600_000)
        }
    }

    /// Whole numbers with thousands separators: `1,234,567`.
    public static func count<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func rows(_ value: Double) -> String {
        value >= 0 ? count(Int64(value.rounded())) : "unknown"
    }

    public static func percent(_ fraction: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f%%", fraction * 100)
    }

    public static func decimal(_ value: Double) -> String {
        value >= 100 ? count(Int64(value.rounded())) : String(format: "%.1f", value)
    }

    /// A statement on one line, cut to `limit` characters.
    public static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}

extension Format {
    /// Seconds as `45 s`, `12 min`, `3.5 h`, `9 d`.
    public static func age(seconds: Double) -> String {
        switch seconds {
        case ..<120: return "\(Int(seconds.rounded())) s"
        case ..<7200: return "\(Int((seconds / 60).rounded())) min"
        case ..<172_800: return String(format: "%.1f h", seconds / 3600)
        default: return "\(Int((seconds / 86_400).rounded())) d"
        }
    }

    /// A large count in words: `1.6 billion`, `150 million`, `42,000`.
    public static func magnitude(_ value: Int64) -> String {
        let v = Double(value)
        switch abs(v) {
        case 1e9...: return String(format: "%.1f billion", v / 1e9)
        case 1e7...: return "\(Int((v / 1e6).rounded())) million"
        case 1e6...: return String(format: "%.1f million", v / 1e6)
        default: return count(value)
        }
    }
}
