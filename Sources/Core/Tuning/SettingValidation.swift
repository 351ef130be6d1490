import Foundation
import Model

/// Checks a recommended setting value against what the live server accepts — its
/// `pg_settings` row: the values of an enum (`io_method` offers `io_uring` only when built with
/// liburing), the range of a number in the setting's unit — and against the facts a restart
/// depends on. A value the server would refuse is never recommended: the best valid alternative
/// takes its place, or the recommendation is dropped, always with the reason.
public enum SettingValidation {
    public enum Verdict: Equatable, Sendable {
        case valid
        /// Use `value` instead; `reason` says why.
        case replaced(value: String, reason: String)
        /// Nothing valid to recommend; keep the server's value.
        case refused(reason: String)
    }

    /// Valid alternatives, best first, for enum values a build may lack.
    static let alternatives: [String: [String]] = [
        "io_method": ["worker", "sync"],
        "wal_compression": ["zstd", "lz4", "pglz", "on"],
    ]

    /// What the server's row for `name` says about `value`; `.valid` when the snapshot does not
    /// tell (the calculator, an older snapshot) — PGTune's choice stands, with its warning.
    public static func check(_ name: String, _ value: String, on snapshot: Snapshot, ramBytes: Int64? = nil) -> Verdict {
        guard let setting = snapshot.setting(name) else { return .valid }
        if let values = setting.enumValues, !values.isEmpty {
            return checkEnum(setting, value, values)
        }
        if let verdict = checkRange(setting, value), verdict != .valid { return verdict }
        return checkStartup(setting, value, snapshot: snapshot, ramBytes: ramBytes)
    }

    static func checkEnum(_ setting: Setting, _ value: String, _ values: [String]) -> Verdict {
        let accepted = values.map { $0.lowercased() }
        guard !accepted.contains(value.lowercased()) else { return .valid }
        let list = values.joined(separator: ", ")
        if let alternative = (alternatives[setting.name] ?? []).first(where: { accepted.contains($0) && $0 != value.lowercased() }) {
            return .replaced(value: alternative, reason: "this server accepts only \(list) for \(setting.name) "
                + "(built without \(value)), so \(alternative) instead of \(value)")
        }
        return .refused(reason: "this server accepts only \(list) for \(setting.name), not \(value)")
    }

    /// A number outside `min_val` / `max_val` (both in the setting's unit) is brought to the bound.
    static func checkRange(_ setting: Setting, _ value: String) -> Verdict? {
        guard setting.type == "integer" || setting.type == "real",
              let amount = inUnits(value, unit: setting.unit) else { return nil }
        if let max = setting.maxValue.flatMap(Double.init), amount > max {
            let bound = display(max, setting)
            return .replaced(value: bound, reason: "\(value) is above the largest \(setting.name) this server accepts (\(bound))")
        }
        if let min = setting.minValue.flatMap(Double.init), amount < min {
            let bound = display(min, setting)
            return .replaced(value: bound, reason: "\(value) is below the smallest \(setting.name) this server accepts (\(bound))")
        }
        return .valid
    }

    /// Settings read only at start that would keep the server from starting, where the
    /// snapshot can tell: shared_buffers at or above the machine's RAM, max_connections below the
    /// connections in use, huge_pages = on where the server found no huge pages (17+).
    static func checkStartup(_ setting: Setting, _ value: String, snapshot: Snapshot, ramBytes: Int64?) -> Verdict {
        switch setting.name {
        case "shared_buffers":
            guard let ramBytes, let kB = MemoryUnits.parse(value), kB * 1024 >= ramBytes / 2 else { return .valid }
            let safe = MemoryUnits.display(kB: ramBytes / 4 / 1024)
            return .replaced(value: safe, reason: "\(value) of shared_buffers would take half or more of the machine's "
                + "\(MemoryUnits.display(bytes: ramBytes)) and the server could fail to start: \(safe) (25 %) instead")
        case "max_connections":
            // Client connections only: background workers have slots of their own.
            let inUse = ConfigAdvisor.clientConnections(snapshot)
            let reserved = Int(snapshot.setting("superuser_reserved_connections")?.value ?? "3") ?? 3
            guard let wanted = Int(value), wanted < inUse + reserved else { return .valid }
            let floor = inUse + reserved + 10
            return .replaced(value: String(floor), reason: "\(value) leaves no room for the \(inUse) client connections "
                + "open now and the \(reserved) reserved for superusers: \(floor) keeps room for them")
        case "huge_pages":
            guard value.lowercased() == "on", snapshot.setting("huge_pages_status")?.value == "off" else { return .valid }
            return .replaced(value: "try", reason: "huge_pages = on would stop the server from starting: it found no huge "
                + "pages (huge_pages_status = off); try uses them once vm.nr_hugepages provides them")
        default:
            return .valid
        }
    }

    /// `value` in the setting's unit: memory (`8kB`, `kB`, `MB`, `B`), time (`ms`, `s`, `min`)
    /// or a plain number.
    static func inUnits(_ value: String, unit: String?) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let plain = Double(trimmed) { return plain }
        guard let unit, !unit.isEmpty else { return nil }
        if let unitKB = MemoryUnits.settingValue("1", unit: unit).map(Double.init), unitKB > 0, let kB = MemoryUnits.parse(trimmed) {
            return Double(kB) / unitKB
        }
        if unit == "B", let bytes = MemoryUnits.bytes(trimmed) { return Double(bytes) }
        guard let ms = milliseconds(trimmed), let unitMs = milliseconds("1" + unit) else { return nil }
        return ms / unitMs
    }

    static func milliseconds(_ text: String) -> Double? {
        let number = text.prefix { $0.isNumber || $0 == "." }
        guard let amount = Double(number) else { return nil }
        let factors: [String: Double] = ["ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000]
        return factors[text.dropFirst(number.count).trimmingCharacters(in: .whitespaces)].map { amount * $0 }
    }

    /// A bound in the setting's unit, in PostgreSQL's syntax (`1073741823` with unit `8kB` → `8TB`).
    static func display(_ amount: Double, _ setting: Setting) -> String {
        let whole = String(Int64(amount))
        if let kB = MemoryUnits.settingValue(whole, unit: setting.unit) { return MemoryUnits.display(kB: kB) }
        if let unit = setting.unit, !unit.isEmpty, setting.type == "integer" { return whole + unit }
        return setting.type == "integer" ? whole : String(amount)
    }
}
