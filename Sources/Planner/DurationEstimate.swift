import Foundation

/// How long a step should take, from the size of what it reads and writes.
///
/// The rates are deliberately modest figures for a server under load: 100 MB/s of sequential
/// reads (a heap or index scan) and 50 MB/s of sorting and writing (an index build, a rewrite).
/// - `CREATE INDEX CONCURRENTLY`: two table scans + writing the index: 2 × table / 100 MB/s + index / 50 MB/s.
/// - `REINDEX CONCURRENTLY`: table / 100 MB/s + index / 50 MB/s.
/// - `VACUUM`: table and its indexes / 100 MB/s; `VACUUM FULL` and rewrites: 2 × (table + indexes) / 50 MB/s.
/// - `ANALYZE`: a sample of at most 30,000 pages (300 × default_statistics_target rows): min(table, 240 MB) / 100 MB/s.
/// - `DROP INDEX CONCURRENTLY`, settings, storage parameters: about a second (they wait for
///   running transactions, not for data).
/// A floor of one second applies.
public struct DurationEstimate: Codable, Equatable, Sendable {
    public var seconds: Double
    /// The formula with the sizes filled in.
    public var basis: String

    public init(seconds: Double, basis: String) {
        self.seconds = seconds
        self.basis = basis
    }

    public static let instant = DurationEstimate(seconds: 1, basis: "catalog change")

    static let readBytesPerSecond = 100.0 * 1_048_576
    static let writeBytesPerSecond = 50.0 * 1_048_576
    static let analyzeSampleBytes: Int64 = 30_000 * 8192

    static func createIndex(tableBytes: Int64, indexBytes: Int64) -> DurationEstimate {
        let s = 2 * Double(tableBytes) / readBytesPerSecond + Double(indexBytes) / writeBytesPerSecond
        return make(s, "2 × \(mb(tableBytes)) of table at 100 MB/s + \(mb(indexBytes)) of index at 50 MB/s")
    }

    static func reindex(tableBytes: Int64, indexBytes: Int64) -> DurationEstimate {
        let s = Double(tableBytes) / readBytesPerSecond + Double(indexBytes) / writeBytesPerSecond
        return make(s, "\(mb(tableBytes)) of table at 100 MB/s + \(mb(indexBytes)) of index at 50 MB/s")
    }

    static func vacuum(tableBytes: Int64, indexBytes: Int64, full: Bool) -> DurationEstimate {
        let total = tableBytes + indexBytes
        if full {
            return make(2 * Double(total) / writeBytesPerSecond, "2 × \(mb(total)) of table and indexes at 50 MB/s (rewrite)")
        }
        return make(Double(total) / readBytesPerSecond, "\(mb(total)) of table and indexes at 100 MB/s")
    }

    static func rewrite(tableBytes: Int64, indexBytes: Int64) -> DurationEstimate {
        let total = tableBytes + indexBytes
        return make(2 * Double(total) / writeBytesPerSecond, "2 × \(mb(total)) of table and indexes at 50 MB/s (rewrite)")
    }

    static func analyze(tableBytes: Int64) -> DurationEstimate {
        let sample = min(tableBytes, analyzeSampleBytes)
        return make(Double(sample) / readBytesPerSecond, "a sample of \(mb(sample)) at 100 MB/s")
    }

    private static func make(_ seconds: Double, _ basis: String) -> DurationEstimate {
        DurationEstimate(seconds: max(1, (seconds * 10).rounded() / 10), basis: basis)
    }

    private static func mb(_ bytes: Int64) -> String {
        let value = Double(bytes) / 1_048_576
        return value < 10 ? String(format: "%.1f MB", value) : String(format: "%.0f MB", value)
    }

    /// `statement_timeout` for the step: ten times the estimate, at least 5 minutes.
    var statementTimeoutSeconds: Int { max(300, Int((seconds * 10).rounded(.up))) }

    /// `~1 s`, `~2 min`, `~1.5 h`.
    public var display: String {
        if seconds < 90 { return "~\(Int(seconds.rounded())) s" }
        if seconds < 5400 { return "~\(Int((seconds / 60).rounded())) min" }
        return String(format: "~%.1f h", seconds / 3600)
    }
}
