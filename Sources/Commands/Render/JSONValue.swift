import Model

/// An evidence value as JSON: numbers stay numbers (bytes and counts as integers, ratios as
/// fractions, durations in milliseconds), lists stay arrays.
enum JSONValue: Encodable {
    case int(Int64), double(Double), string(String), bool(Bool), strings([String])

    init(_ value: EvidenceValue) {
        switch value {
        case .count(let n), .bytes(let n): self = .int(n)
        case .milliseconds(let x), .ratio(let x), .number(let x): self = .double((x * 1_000_000).rounded() / 1_000_000)
        case .text(let t): self = .string(t)
        case .flag(let b): self = .bool(b)
        case .timestamp(let t): self = .string(t.iso8601)
        case .list(let l): self = .strings(l)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let n): try container.encode(n)
        case .double(let x): try container.encode(x)
        case .string(let s): try container.encode(s)
        case .bool(let b): try container.encode(b)
        case .strings(let l): try container.encode(l)
        }
    }
}
