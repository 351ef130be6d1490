import Foundation
import Model

/// The statistical btree size model of ioguix's `btree_bloat.sql`: the pages a freshly built
/// btree would need for its rows, from the planner's column widths and null fractions,
/// compared with the pages the index has.
///
/// Per index tuple: a 4-byte line pointer, the `IndexTupleData` header (8 bytes, 12 with the
/// null bitmap when any indexed column holds NULLs) rounded up to MAXALIGN, and the data
/// (`Σ (1 − null_frac) × avg_width` over key and INCLUDE columns) rounded up to MAXALIGN. A page
/// holds `floor((block_size − 24 − 16) × fillfactor / 100 / tuple)` tuples (24 bytes of page
/// header, 16 of btree special space); the expected size is one metapage plus
/// `ceil(reltuples / tuples per page)` leaf pages. Internal pages are ignored, as in ioguix: they
/// are a fraction of a percent of a large index.
public struct BtreeBloatEstimate: Equatable, Sendable {
    /// Bytes per index tuple, line pointer included.
    public var tupleBytes: Int
    public var tuplesPerPage: Int
    public var expectedPages: Int64
    public var actualPages: Int64
    public var blockSize: Int
    public var fillfactor: Int

    public var actualBytes: Int64 { actualPages * Int64(blockSize) }
    public var expectedBytes: Int64 { expectedPages * Int64(blockSize) }
    /// Bytes beyond the expected size (0 when the index is as small as expected or smaller).
    public var wastedBytes: Int64 { max(0, actualPages - expectedPages) * Int64(blockSize) }
    /// Wasted bytes as a share of the actual size.
    public var wastedRatio: Double { actualPages > 0 ? Double(wastedBytes) / Double(actualBytes) : 0 }

    /// One indexed column's share of the tuple: `pg_stats.null_frac` and `avg_width`.
    public struct ColumnWidth: Equatable, Sendable {
        public var nullFraction: Double
        public var averageWidth: Int

        public init(nullFraction: Double, averageWidth: Int) {
            self.nullFraction = nullFraction
            self.averageWidth = averageWidth
        }
    }

    /// The model for `rows` tuples of `columns` in an index of `actualPages` pages; nil when
    /// there is nothing to judge (no rows, no pages, no columns).
    public static func estimate(
        rows: Double, actualPages: Int64, columns: [ColumnWidth], blockSize: Int = 8192, maxAlign: Int = 8,
        fillfactor: Int = 90
    ) -> BtreeBloatEstimate? {
        guard rows > 0, actualPages > 0, !columns.isEmpty, blockSize > 40, maxAlign > 0,
              (10...100).contains(fillfactor) else { return nil }
        let hasNulls = columns.contains { $0.nullFraction > 0 }
        let header = align(hasNulls ? 12 : 8, to: maxAlign)
        let dataWidth = columns.reduce(0.0) { $0 + (1 - min(1, max(0, $1.nullFraction))) * Double(max(0, $1.averageWidth)) }
        let data = align(Int(dataWidth.rounded(.up)), to: maxAlign)
        let tuple = 4 + header + data
        let usable = Double(blockSize - 24 - 16) * Double(fillfactor) / 100
        let perPage = max(1, Int((usable / Double(tuple)).rounded(.down)))
        let leafPages = Int64((rows / Double(perPage)).rounded(.up))
        return BtreeBloatEstimate(
            tupleBytes: tuple, tuplesPerPage: perPage, expectedPages: 1 + leafPages, actualPages: actualPages,
            blockSize: blockSize, fillfactor: fillfactor)
    }

    /// Why an index is left out of the model.
    public enum Unsupported: Error, Equatable, Sendable {
        case notBtree, expression, unknownDefinition, noRows, noStatistics(column: String), nameColumn(column: String)
    }

    /// The model for `index`, reading widths from `stats` (the table's `pg_stats` by column) and
    /// column types from `table`; the fillfactor comes from the definition's `WITH (fillfactor=…)`,
    /// else the btree default 90.
    public static func estimate(
        for index: IndexInfo, stats: [String: ColumnStats], table: TableInfo?, blockSize: Int, maxAlign: Int
    ) -> Result<BtreeBloatEstimate, Unsupported> {
        guard index.method == "btree" else { return .failure(.notBtree) }
        guard let definition = index.definition else { return .failure(.unknownDefinition) }
        guard index.estimatedRows > 0, index.pages > 0 else { return .failure(.noRows) }
        var widths: [ColumnWidth] = []
        for column in index.columns {
            guard let name = column.column else { return .failure(.expression) }
            if table?.column(named: name)?.type == "name" { return .failure(.nameColumn(column: name)) }
            guard let stat = stats[name] else { return .failure(.noStatistics(column: name)) }
            widths.append(ColumnWidth(nullFraction: stat.nullFraction, averageWidth: stat.averageWidth))
        }
        guard let estimate = estimate(
            rows: index.estimatedRows, actualPages: index.pages, columns: widths, blockSize: blockSize,
            maxAlign: maxAlign, fillfactor: fillfactor(definition) ?? 90)
        else { return .failure(.noRows) }
        return .success(estimate)
    }

    /// The `fillfactor` storage parameter of a `pg_get_indexdef` text (`WITH (fillfactor='70')`).
    public static func fillfactor(_ definition: String) -> Int? {
        let options = definition.range(of: " WITH (").map { definition[$0.upperBound...] } ?? definition[...]
        guard let range = options.range(of: "fillfactor=") else { return nil }
        let digits = options[range.upperBound...].drop { $0 == "'" }.prefix { $0.isNumber }
        return Int(digits)
    }

    static func align(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }
}
