import Model

/// Wasted space in a table's heap: measured by `pgstattuple_approx` when the snapshot has it
/// (`audit --exact`), otherwise estimated from planner statistics with the statistical heap
/// model the established estimators share (ioguix `table_bloat.sql`).
///
/// The model: a tuple takes a 4-byte line pointer, a header of 23 bytes plus a null bitmap of
/// one bit per column when any column has nulls (MAXALIGNed), and `Σ (1 − null_frac) ×
/// avg_width` bytes of data (MAXALIGNed). A page offers `(block_size − 24) × fillfactor / 100`
/// bytes and holds whole tuples only. Expected heap pages are `ceil(reltuples / tuples per
/// page)`; expected TOAST pages `ceil(toast reltuples / 4)` (four ~2 kB chunks per page). What
/// the heap and TOAST table hold beyond that is waste. `extra` counts against a tightly packed
/// heap (fillfactor 100), so it includes the space the fillfactor reserves on purpose; `wasted`
/// does not.
public struct HeapBloatEstimate: Equatable, Sendable {
    public enum Method: Equatable, Sendable {
        /// From `pg_class` and `pg_stats`: often off by ±20 %.
        case statistical
        /// `pgstattuple_approx`, with the share of pages it actually read.
        case measured(scannedPercent: Double)
    }

    public var method: Method
    /// What the table takes: heap and TOAST pages (statistical) or the heap's length (measured).
    public var actualBytes: Int64
    /// Space beyond a tightly packed table, including the fillfactor's reserve.
    public var extraBytes: Int64
    /// Space beyond what the rows and the fillfactor need: the bloat.
    public var wastedBytes: Int64
    /// `wastedBytes / actualBytes`.
    public var ratio: Double
    public var fillfactor: Int
    /// Statistical model only: bytes one tuple takes, line pointer included.
    public var tupleBytes: Int?
    /// Statistical model only: whole tuples per page at the fillfactor.
    public var tuplesPerPage: Int?
    /// Statistical model only: heap plus TOAST pages the rows need at the fillfactor.
    public var expectedPages: Int64?
    /// Statistical model only: heap plus TOAST pages in `pg_class`.
    public var actualPages: Int64?

    /// `pgstattuple_approx (measured, 100 % of pages scanned)` or `statistical estimate`.
    public var methodText: String {
        switch method {
        case .statistical: "statistical estimate"
        case .measured(let scanned):
            "pgstattuple_approx (measured, "
                + "\(scanned == scanned.rounded() ? String(Int(scanned)) : Format.decimal(scanned)) % of pages scanned)"
        }
    }

    /// Either an estimate, or why the table's waste cannot be judged.
    public enum Assessment: Equatable, Sendable {
        case estimated(HeapBloatEstimate)
        case unavailable(String)

        public var estimate: HeapBloatEstimate? {
            if case .estimated(let estimate) = self { estimate } else { nil }
        }
    }

    /// The measured figure when the snapshot has one, else the statistical estimate.
    public static func assess(_ table: TableInfo, facts: SnapshotFacts, blockSize: Int) -> Assessment {
        if let measured = measured(table) { return .estimated(measured) }
        return statistical(table, columnStats: facts.columnStats(table.qualifiedName), blockSize: blockSize,
                           maxAlign: facts.maxAlign)
    }

    /// `pgstattuple_approx`: free space plus dead tuples, less the free space the fillfactor
    /// reserves on purpose. nil when the table was not measured.
    public static func measured(_ table: TableInfo) -> HeapBloatEstimate? {
        guard let exact = table.exactBloat, exact.tableBytes > 0 else { return nil }
        let fillfactor = table.fillfactor
        let reserveShare = Double(100 - fillfactor) / 100
        let extra = exact.freeBytes + exact.deadTupleBytes
        let reserve = Int64((Double(exact.tableBytes) * reserveShare).rounded())
        let wasted = max(0, extra - reserve)
        let ratio = max(0, (exact.freePercent + exact.deadTuplePercent) / 100 - reserveShare)
        return HeapBloatEstimate(
            method: .measured(scannedPercent: exact.scannedPercent), actualBytes: exact.tableBytes,
            extraBytes: extra, wastedBytes: wasted, ratio: min(1, ratio), fillfactor: fillfactor)
    }

    /// The statistical model, or why it does not apply: no storage, never analyzed, a column
    /// without statistics, or a `name` column (whose width the model gets wrong).
    public static func statistical(
        _ table: TableInfo, columnStats: [String: ColumnStats], blockSize: Int, maxAlign: Int
    ) -> Assessment {
        if table.kind == .partitioned { return .unavailable("a partitioned table has no storage of its own") }
        if table.estimatedRows < 0 { return .unavailable("never vacuumed or analyzed (reltuples = -1)") }
        if table.columns.isEmpty { return .unavailable("no columns known") }
        if let column = table.columns.first(where: { $0.type == "name" }) {
            return .unavailable("column \(SQLQuoting.identifier(column.name)) has type name, which the model misjudges")
        }
        var dataWidth = 0.0
        var anyNull = false
        for column in table.columns {
            guard let stats = columnStats[column.name] else {
                return .unavailable("no planner statistics for column \(SQLQuoting.identifier(column.name))")
            }
            dataWidth += (1 - stats.nullFraction) * Double(stats.averageWidth)
            if stats.nullFraction > 0 { anyNull = true }
        }
        let header = 23 + (anyNull ? (table.columns.count + 7) / 8 : 0)
        let tupleBytes = 4 + align(header, maxAlign) + align(Int(dataWidth.rounded(.up)), maxAlign)
        let fillfactor = table.fillfactor
        let pageSpace = Double(blockSize - 24)
        // A page holds at most this many tuples whatever their size (MaxHeapTuplesPerPage).
        let maxTuples = (blockSize - 24) / (align(23, maxAlign) + 4)
        func tuplesPerPage(_ fillfactor: Int) -> Int {
            max(1, min(maxTuples, Int((pageSpace * Double(fillfactor) / 100 / Double(tupleBytes)).rounded(.down))))
        }
        func heapPages(_ perPage: Int) -> Int64 {
            Int64((table.estimatedRows / Double(perPage)).rounded(.up))
        }
        // TOAST never vacuumed or analyzed (reltuples -1): count it as it is, neither waste nor saving.
        let toastExpected = table.toastRows >= 0 ? Int64((table.toastRows / 4).rounded(.up)) : table.toastPages
        let perPage = tuplesPerPage(fillfactor)
        let expected = heapPages(perPage) + toastExpected
        let packed = heapPages(tuplesPerPage(100)) + toastExpected
        let actual = table.pages + table.toastPages
        let block = Int64(blockSize)
        let wastedPages = max(0, actual - expected)
        return .estimated(HeapBloatEstimate(
            method: .statistical, actualBytes: actual * block, extraBytes: max(0, actual - packed) * block,
            wastedBytes: wastedPages * block, ratio: actual > 0 ? Double(wastedPages) / Double(actual) : 0,
            fillfactor: fillfactor, tupleBytes: tupleBytes, tuplesPerPage: perPage, expectedPages: expected,
            actualPages: actual))
    }

    static func align(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }
}

extension HeapBloatEstimate {
    /// When waste is worth reporting: bytes **and** share, in two pairs (pgx_scripts): a large
    /// share of a modest table, or a smaller share of a big one. Small tables always look
    /// bloated in relative terms and fresh tables carry alignment padding, hence both.
    public struct Thresholds: Equatable, Sendable {
        public var minRatio: Double
        public var minWasted: Int64
        public var largeMinRatio: Double
        public var largeMinWasted: Int64

        public init(minRatio: Double, minWasted: Int64, largeMinRatio: Double, largeMinWasted: Int64) {
            self.minRatio = minRatio
            self.minWasted = minWasted
            self.largeMinRatio = largeMinRatio
            self.largeMinWasted = largeMinWasted
        }

        /// pgx_scripts' table bloat filter: (≥ 50 % and ≥ 10 MB) or (≥ 25 % and ≥ 1 GB).
        public static let standard = Thresholds(
            minRatio: 0.5, minWasted: 10 << 20, largeMinRatio: 0.25, largeMinWasted: 1 << 30)

        public func isBloated(_ estimate: HeapBloatEstimate) -> Bool {
            (estimate.ratio >= minRatio && estimate.wastedBytes >= minWasted)
                || (estimate.ratio >= largeMinRatio && estimate.wastedBytes >= largeMinWasted)
        }
    }
}
