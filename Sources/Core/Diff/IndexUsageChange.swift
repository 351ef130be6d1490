import Model

/// An index whose use changed between two snapshots, or that came or went.
public struct IndexUsageChange: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Scanned before OLD, not once in the window.
        case becameUnused = "became-unused"
        /// Never scanned before OLD, scanned in the window.
        case becameUsed = "became-used"
        /// In NEW only.
        case created
        /// In OLD only.
        case dropped
    }

    public var kind: Kind
    public var index: QualifiedName
    public var table: QualifiedName
    /// Scans counted at OLD and at NEW (cumulative); nil on the side that lacks the index.
    public var oldScans: Int64?
    public var newScans: Int64?
    /// Scans in the window (NEW − OLD, or NEW's since a reset).
    public var windowScans: Int64
    public var basis: StatementChange.Basis
    /// The index's size in NEW (OLD for a dropped one).
    public var sizeBytes: Int64?

    public init(kind: Kind, index: QualifiedName, table: QualifiedName, oldScans: Int64?, newScans: Int64?,
                windowScans: Int64, basis: StatementChange.Basis, sizeBytes: Int64?) {
        self.kind = kind
        self.index = index
        self.table = table
        self.oldScans = oldScans
        self.newScans = newScans
        self.windowScans = windowScans
        self.basis = basis
        self.sizeBytes = sizeBytes
    }
}
