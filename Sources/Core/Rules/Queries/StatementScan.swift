import Model

/// What `pg_stat_statements` and the table statistics say about where a statement's time goes:
/// when each call touches about as many pages as a sequential scan of a large table it names
/// (and that table is read by sequential scans), the cost is the scan, and an index on the
/// columns it filters on is the fix, not fewer calls.
struct StatementScan: Equatable {
    var table: TableInfo
    /// Shared pages (hit or read) each call touches.
    var pagesPerCall: Double
    /// Rows of the table a sequential scan reads.
    var tableRows: Double
    /// Rows each call returns.
    var rowsPerCall: Double

    /// Tables below this many rows are cheap to scan (seq-scan-heavy-table's `min-rows`).
    static let minRows: Double = 10_000
    /// A call must touch at least this share of the table's pages to count as scanning it.
    static let minPageShare = 0.5

    /// The largest table `statement` names and scans on every call, nil when its calls are
    /// cheaper than a scan (or it is an INSERT, an EXPLAIN or maintenance).
    init?(_ statement: StatementStats, snapshot: Snapshot) {
        guard statement.calls > 0, let query = statement.query, !StatementKeywords.isMaintenance(query),
              !["INSERT", "EXPLAIN"].contains(StatementKeywords.leadingWords(query, count: 1).first ?? "") else { return nil }
        let pages = Double(statement.sharedBlocksHit + statement.sharedBlocksRead) / Double(statement.calls)
        let text = query.lowercased()
        let scanned = snapshot.tables.filter { table in
            guard table.kind != .partitioned, table.pages > 0, (table.activity?.seqScans ?? 0) > 0,
                  Self.rows(table) >= Self.minRows else { return false }
            return pages >= Self.minPageShare * Double(table.pages)
                && SeqScanHeavyTableRule.mentions(text, table.name.lowercased())
        }
        guard let table = scanned.max(by: { $0.pages < $1.pages }) else { return nil }
        self.table = table
        self.pagesPerCall = pages
        self.tableRows = Self.rows(table)
        self.rowsPerCall = Double(statement.rows) / Double(statement.calls)
    }

    private static func rows(_ table: TableInfo) -> Double {
        max(table.estimatedRows, Double(table.activity?.liveTuples ?? 0))
    }

    /// "each call reads about 2,500 pages (20 MB), as a sequential scan of shop.orders (300,000 rows) does, to return 0.1 rows".
    func summary(blockSize: Int) -> String {
        "each call reads about \(Format.count(Int64(pagesPerCall.rounded()))) pages "
            + "(\(Format.bytes(Int64(pagesPerCall * Double(blockSize))))), as a sequential scan of "
            + "\(SQLQuoting.qualified(table.qualifiedName)) (\(Format.rows(tableRows)) rows) does, "
            + "to return \(Format.decimal(rowsPerCall)) row\(rowsPerCall == 1 ? "" : "s")"
    }

    /// The fix to lead with: the index that ends the scan.
    var indexAdvice: Remediation {
        .manual("Index the columns it filters on, so it stops scanning \(SQLQuoting.qualified(table.qualifiedName)) "
            + "on every call: the missing-index finding (or 'pgadvisor indexes') names the index; "
            + "EXPLAIN (ANALYZE, BUFFERS) with typical parameters shows the Seq Scan it replaces")
    }

    var evidence: [Evidence] {
        [
            Evidence("pagesPerCall", "pages per call", .number(pagesPerCall.rounded())),
            Evidence("scannedTable", "table scanned on every call", .text(SQLQuoting.qualified(table.qualifiedName))),
            Evidence("scannedTableRows", "rows of the scanned table", .count(Int64(tableRows.rounded()))),
        ]
    }
}
