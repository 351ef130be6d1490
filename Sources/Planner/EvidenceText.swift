import Foundation
import Model

/// Evidence values as the plan's comments print them: compact, in their unit.
enum EvidenceText {
    static func render(_ value: EvidenceValue) -> String {
        switch value {
        case .count(let n): String(n)
        case .bytes(let n): bytes(n)
        case .milliseconds(let ms): ms < 1000 ? String(format: "%.1f ms", ms) : String(format: "%.1f s", ms / 1000)
        case .ratio(let r): String(format: "%.1f %%", r * 100)
        case .number(let x): x == x.rounded() ? String(Int64(x)) : String(format: "%.2f", x)
        case .text(let t): t
        case .flag(let b): b ? "yes" : "no"
        case .timestamp(let t): t.iso8601
        case .list(let items): "\(items.count) item\(items.count == 1 ? "" : "s")"
        }
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) bytes" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }
}
