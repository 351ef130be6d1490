/// Planner statistics of one column from `pg_stats` (kept lean: no histograms).
public struct ColumnStats: Codable, Equatable, Sendable {
    public var schema: String
    public var table: String
    public var column: String
    /// Statistics over the inheritance tree rather than the table alone.
    public var inherited: Bool
    public var nullFraction: Double
    public var averageWidth: Int
    /// Positive: distinct values; negative: minus the fraction of rows that are distinct.
    public var distinctValues: Double
    public var correlation: Double?
    /// Up to ten most common values as text, with their frequencies.
    public var mostCommonValues: [String]?
    public var mostCommonFrequencies: [Double]?

    public init(
        schema: String, table: String, column: String, inherited: Bool = false, nullFraction: Double = 0,
        averageWidth: Int = 4, distinctValues: Double = -1, correlation: Double? = nil,
        mostCommonValues: [String]? = nil, mostCommonFrequencies: [Double]? = nil
    ) {
        self.schema = schema
        self.table = table
        self.column = column
        self.inherited = inherited
        self.nullFraction = nullFraction
        self.averageWidth = averageWidth
        self.distinctValues = distinctValues
        self.correlation = correlation
        self.mostCommonValues = mostCommonValues
        self.mostCommonFrequencies = mostCommonFrequencies
    }
}
