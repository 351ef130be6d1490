/// One number (or fact) behind a finding, e.g. `sizeBytes = 16384`.
public struct Evidence: Equatable, Sendable {
    /// Stable camelCase key with the unit in its name where it has one (`meanMs`, `sizeBytes`,
    /// `shareOfTotal`): the key of the JSON report's `evidence` object.
    public var key: String
    /// A short human label for text reports (`mean`, `size`, `share of total`).
    public var label: String
    public var value: EvidenceValue

    public init(_ key: String, _ label: String, _ value: EvidenceValue) {
        self.key = key
        self.label = label
        self.value = value
    }
}

/// A typed evidence value: reports print each kind in its own unit.
public enum EvidenceValue: Equatable, Sendable {
    case count(Int64)
    case bytes(Int64)
    /// A duration in milliseconds.
    case milliseconds(Double)
    /// A fraction in 0...1, printed as a percentage.
    case ratio(Double)
    case number(Double)
    case text(String)
    case flag(Bool)
    case timestamp(Timestamp)
    case list([String])
}
