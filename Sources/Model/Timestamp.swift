/// A point in time with microsecond precision, as PostgreSQL stores `timestamptz`.
///
/// Encoded in snapshots as an ISO 8601 string in UTC with six fractional digits
/// (`2026-11-23T12:10:00.123456Z`), so a snapshot reads well and round-trips exactly.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    public init(secondsSinceEpoch seconds: Double) {
        self.microseconds = Int64((seconds * 1_000_000).rounded())
    }

    public var secondsSinceEpoch: Double { Double(microseconds) / 1_000_000 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Seconds from `self` to `later` (positive when `later` is after `self`).
    public func seconds(until later: Timestamp) -> Double {
        Double(later.microseconds - microseconds) / 1_000_000
    }

    /// Parses PostgreSQL's ISO output (`2026-11-23 12:10:00.5+00`, `+05:30`, `-08`) and the
    /// snapshot form (`2026-11-23T12:10:00.500000Z`). Returns nil for anything else,
    /// including `infinity`.
    public init?(parsing text: String) {
        let b = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            i += count
            return value
        }
        func expect(_ chars: [UInt8]) -> Bool {
            guard i < b.count, chars.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect([45]), let month = number(2), expect([45]), let day = number(2),
              expect([32, 84]), let hour = number(2), expect([58]), let minute = number(2), expect([58]),
              let second = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros = 0
        if i < b.count, b[i] == 46 {  // '.'
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in 0..<max(0, 6 - digits) { micros *= 10 }
        }
        var offsetSeconds = 0
        if i < b.count, b[i] == 90 {  // 'Z'
            i += 1
        } else if i < b.count, b[i] == 43 || b[i] == 45 {  // '+' or '-'
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            var om = 0, os = 0
            if i < b.count, b[i] == 58 {
                i += 1
                guard let m = number(2) else { return nil }
                om = m
                if i < b.count, b[i] == 58 {
                    i += 1
                    guard let s = number(2) else { return nil }
                    os = s
                }
            }
            offsetSeconds = sign * (oh * 3600 + om * 60 + os)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        self.microseconds = seconds * 1_000_000 + Int64(micros)
    }

    /// `2026-11-23T12:10:00.123456Z`
    public var iso8601: String {
        var seconds = microseconds / 1_000_000
        var micros = microseconds % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (y, m, d) = Timestamp.civilFromDays(Int(days))
        let hh = Int(secondOfDay / 3600), mm = Int(secondOfDay % 3600 / 60), ss = Int(secondOfDay % 60)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2)).\(pad(Int(micros), 6))Z"
    }

    public var description: String { iso8601 }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an ISO 8601 timestamp: \(text)")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    // Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
