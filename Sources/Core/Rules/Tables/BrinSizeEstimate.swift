import Model

/// The size of a minmax BRIN index and of a btree on the same column, from the heap's pages and
/// rows (formulas from `brin_tuple.h`, `brin_page.h` and the btree leaf layout, 8 kB blocks).
/// `package`: the rule and the package's tests use it; no part of Core's API.
package struct BrinSizeEstimate: Equatable {
    /// Heap pages summarized by one BRIN entry.
    var pagesPerRange: Int
    var brinBytes: Int64
    /// The btree on the column: measured when one exists, estimated otherwise.
    var btreeBytes: Int64
    var btreeMeasured: Bool

    /// How many times the btree is the size of the BRIN index.
    var ratio: Double { Double(btreeBytes) / Double(max(brinBytes, 1)) }

    /// Pages of a minmax BRIN on a key of `keyBytes` (4 or 8) over `heapPages` pages: a metapage,
    /// the range map (one 6-byte TID per range) and one summary tuple per range.
    package static func brinPages(heapPages: Int64, pagesPerRange: Int, keyBytes: Int) -> Int64 {
        let ranges = max(1, (heapPages + Int64(pagesPerRange) - 1) / Int64(pagesPerRange))
        let tupleBytes = Int64((8 + 2 * keyBytes + 7) / 8 * 8 + 4)
        let perPage = 8160 / tupleBytes
        let revmapPages = (ranges + 1359) / 1360
        return 1 + revmapPages + (ranges + perPage - 1) / perPage
    }

    /// Pages of a btree with one entry per row on a 4- or 8-byte key: 366 entries of 20 bytes per
    /// leaf at the default fillfactor 90, plus about 0.5 % inner pages and the metapage.
    /// Deduplication (13+) makes a btree on a column with many repeated values smaller.
    package static func btreePages(rows: Double) -> Int64 {
        let leaves = (max(rows, 0) / 366).rounded(.up)
        return Int64((leaves * 1.005).rounded(.up)) + 1
    }

    /// The largest power of two from 8 up to `maximum` that is at most a quarter of the pages a
    /// range statement reads per call: a range that matches is read in full, so the two partly
    /// matching ranges at the ends add at most half the pages the statement needs.
    package static func pagesPerRange(pagesPerCall: Double, maximum: Int) -> Int {
        var pages = 8
        while pages * 2 <= maximum, Double(pages * 2) * 4 <= pagesPerCall { pages *= 2 }
        return pages
    }
}
