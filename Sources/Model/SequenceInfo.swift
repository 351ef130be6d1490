/// A sequence, how far it has advanced, and the column it feeds.
public struct SequenceInfo: Codable, Equatable, Sendable {
    public enum LastValueState: String, Codable, Sendable {
        /// `lastValue` holds the last value handed out.
        case read
        /// The sequence was never called (`nextval` not yet used).
        case neverUsed = "never used"
        /// The role lacks SELECT or USAGE on the sequence.
        case notPermitted = "not permitted"
        /// Another session held a conflicting lock; reading it would have waited.
        case locked
    }

    public var schema: String
    public var name: String
    /// `smallint`, `integer` or `bigint`.
    public var dataType: String
    public var startValue: Int64
    public var minValue: Int64
    public var maxValue: Int64
    public var increment: Int64
    public var cycles: Bool
    public var lastValue: Int64?
    public var lastValueState: LastValueState
    /// The column fed by this sequence (serial or identity), if any.
    public var ownedBy: OwnedColumn?

    public init(
        schema: String, name: String, dataType: String = "bigint", startValue: Int64 = 1, minValue: Int64 = 1,
        maxValue: Int64 = Int64.max, increment: Int64 = 1, cycles: Bool = false, lastValue: Int64? = nil,
        lastValueState: LastValueState = .neverUsed, ownedBy: OwnedColumn? = nil
    ) {
        self.schema = schema
        self.name = name
        self.dataType = dataType
        self.startValue = startValue
        self.minValue = minValue
        self.maxValue = maxValue
        self.increment = increment
        self.cycles = cycles
        self.lastValue = lastValue
        self.lastValueState = lastValueState
        self.ownedBy = ownedBy
    }

    public var qualifiedName: QualifiedName { QualifiedName(schema: schema, name: name) }

    /// The column a sequence feeds.
    public struct OwnedColumn: Codable, Equatable, Sendable {
        public var table: QualifiedName
        public var column: String
        /// The column's type, which may overflow before the sequence does (an `integer`
        /// column fed by a `bigint` sequence).
        public var columnType: String
        public var isIdentity: Bool

        public init(table: QualifiedName, column: String, columnType: String, isIdentity: Bool = false) {
            self.table = table
            self.column = column
            self.columnType = columnType
            self.isIdentity = isIdentity
        }
    }
}
