import Foundation
import Model

/// Number formatting shared by the text and Markdown reports. Deterministic: no locale.
enum Format {
    /// 1024-based sizes with PostgreSQL's unit names (`pg_size_pretty`): `8192 bytes`, `12 MB`.
    static func bytes(_ value: Int64) -> String {
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
    static func duration(ms: Double) -> String {
        switch ms {
        case ..<10: return String(format: "%.2f ms", ms)
        case ..<1000: return String(format: "%.1f ms", ms)
        case ..<60_000: return String(format: "%.2f s", ms / 1000)
        case ..<3_600_000: return String(format: "%.1f min", ms / 60_000)
        default: return String(format: "%.1f h", ms / 3_600_000)
        }
    }

    /// Whole numbers with thousands separators: `1,234,567`.
    static func count<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func rows(_ value: Double) -> String {
        value >= 0 ? count(Int64(value.rounded())) : "unknown"
    }

    static func percent(_ fraction: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f%%", fraction * 100)
    }

    static func decimal(_ value: Double) -> String {
        value >= 100 ? count(Int64(value.rounded())) : String(format: "%.1f", value)
    }

    /// A statement on one line, cut to `limit` characters.
    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}

/// A plain-text table with aligned columns.
struct TextTable {
    enum Alignment { case left, right }
    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    func render(indent: String = "  ") -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                let last = i == cells.count - 1
                parts.append(alignments[i] == .right ? pad + cell : (last ? cell : cell + pad))
            }
            return indent + parts.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
