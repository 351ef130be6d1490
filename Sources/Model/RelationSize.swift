/// On-disk size of a table or index, in bytes.
///
/// `measured` is false when the size functions were not called because another session held
/// a conflicting lock on the relation (calling them would have waited); the bytes then come
/// from `pg_class.relpages × block size`, as of the last VACUUM or ANALYZE.
public struct RelationSize: Codable, Equatable, Sendable {
    /// Main fork, free space map, visibility map and TOAST (`pg_table_size`); for an index, the index.
    public var bytes: Int64
    /// TOAST table and its index (tables only).
    public var toastBytes: Int64
    /// All indexes of the table (`pg_indexes_size`; tables only).
    public var indexBytes: Int64
    public var measured: Bool

    public init(bytes: Int64, toastBytes: Int64 = 0, indexBytes: Int64 = 0, measured: Bool = true) {
        self.bytes = bytes
        self.toastBytes = toastBytes
        self.indexBytes = indexBytes
        self.measured = measured
    }

    /// Table, TOAST and indexes together (`pg_total_relation_size`).
    public var totalBytes: Int64 { bytes + indexBytes }
}
