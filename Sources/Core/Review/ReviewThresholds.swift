import Model

/// The limits the review judges plans and migrations by.
public struct ReviewThresholds: Equatable, Sendable {
    /// A table is large from this many estimated rows ...
    public var largeTableRows: Double
    /// ... or this many bytes (`pg_table_size`).
    public var largeTableBytes: Int64
    /// Fail a statement whose estimated total cost is above this.
    public var maxCost: Double?
    /// Fail a statement estimated to return or change more rows than this.
    public var maxRows: Double?
    /// Flag a nested loop whose outer side has at least this many rows and whose inner side is
    /// not an index lookup.
    public var nestedLoopRows: Double
    /// The server's `work_mem` and `hash_mem_multiplier` (nil offline).
    public var workMemBytes: Int64?
    public var hashMemMultiplier: Double

    public init(
        largeTableRows: Double = 100_000, largeTableBytes: Int64 = 100 * 1024 * 1024, maxCost: Double? = nil,
        maxRows: Double? = nil, nestedLoopRows: Double = 10_000, workMemBytes: Int64? = nil, hashMemMultiplier: Double = 1
    ) {
        self.largeTableRows = largeTableRows
        self.largeTableBytes = largeTableBytes
        self.maxCost = maxCost
        self.maxRows = maxRows
        self.nestedLoopRows = nestedLoopRows
        self.workMemBytes = workMemBytes
        self.hashMemMultiplier = hashMemMultiplier
    }

    /// true when `table` counts as large.
    public func isLarge(_ table: TableInfo) -> Bool {
        table.estimatedRows >= largeTableRows || (table.size?.bytes ?? table.pages * 8192) >= largeTableBytes
    }

    /// `1.2 M rows, 85 MB`: a table's size for messages.
    public static func describe(_ table: TableInfo) -> String {
        "\(Format.rows(max(0, table.estimatedRows))) rows, \(Format.bytes(table.size?.bytes ?? table.pages * 8192))"
    }
}
