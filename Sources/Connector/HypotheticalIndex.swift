/// An index hypopg pretends exists, visible to plain EXPLAIN in the backend that created it.
public struct HypotheticalIndex: Equatable, Sendable {
    /// hypopg's fake OID (from the unused range below FirstNormalObjectId).
    public var oid: UInt32
    /// The name plans show, e.g. `<13556>btree_t_a`.
    public var name: String
    /// hypopg's size estimate in bytes (`hypopg_relation_size`); it ignores btree deduplication.
    public var estimatedBytes: Int64

    public init(oid: UInt32, name: String, estimatedBytes: Int64) {
        self.oid = oid
        self.name = name
        self.estimatedBytes = estimatedBytes
    }
}
