/// Parsers for the Linux files `HostProbe` reads: `/proc/meminfo`, `/proc/self/cgroup` and the
/// cgroup v1 and v2 limit files.
///
/// Each parser is pure (text in, value out) and total: malformed input gives nil, or is skipped
/// line by line, and never traps. A parser returns nil as well for a value that means "no limit"
/// (`max`, a quota of -1, a byte count of 2^62 or more), because the probe treats both the same.
enum CgroupFiles {
    /// Where the current process sits in each cgroup hierarchy, from `/proc/self/cgroup`.
    struct Paths: Sendable, Equatable {
        /// The cgroup v2 path, from the line `0::/path`; nil when there is no such line.
        var unified: String?
        /// cgroup v1 paths by controller name, from lines such as `4:memory:/path` or
        /// `3:cpu,cpuacct:/path` (each controller of a co-mounted hierarchy gets the path).
        var v1: [String: String] = [:]
    }

    /// A CFS bandwidth limit: `quota` microseconds of CPU time in every `period` microseconds.
    struct CPUQuota: Sendable, Equatable {
        /// Microseconds of CPU time allowed per period (positive).
        var quota: Int64
        /// Length of the period in microseconds (positive).
        var period: Int64

        /// The CPUs this quota amounts to: quota / period rounded up, at least 1.
        var cpus: Int {
            let whole = quota / period + (quota % period == 0 ? 0 : 1)
            return Int(clamping: max(whole, 1))
        }
    }

    /// A memory limit at or above 2^62 bytes means "unlimited": cgroup v1 reports no limit as
    /// 9223372036854771712 (2^63 - 1 rounded down to a page), and no machine has 4 EiB.
    static let unlimitedMemoryThreshold: Int64 = 1 << 62

    /// The largest CPU number a cpuset list may name; anything larger is garbage (kernels
    /// support at most a few thousand CPUs).
    static let maxCPUIndex = (1 << 20) - 1

    /// `MemTotal` from `/proc/meminfo` in bytes (the file gives kB, 1 kB = 1024 bytes).
    ///
    /// Nil when the line is missing, not in kB, not a positive number, or overflows.
    static func parseMeminfo(_ text: String) -> Int64? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingWhitespace() == "MemTotal" else { continue }
            let fields = parts[1].split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, fields[1] == "kB", let kB = Int64(fields[0]), kB > 0 else { return nil }
            let (bytes, overflow) = kB.multipliedReportingOverflow(by: 1024)
            return overflow ? nil : bytes
        }
        return nil
    }

    /// The process's cgroup paths from `/proc/self/cgroup` (`hierarchy-id:controllers:path`).
    ///
    /// Lines that do not have three fields, a numeric hierarchy id and an absolute path are
    /// skipped; the first line for a controller wins.
    static func parseCgroupPaths(_ text: String) -> Paths {
        var paths = Paths()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let id = Int(fields[0]), id >= 0 else { continue }
            let path = String(fields[2].trimmingWhitespace())
            guard path.hasPrefix("/") else { continue }
            if id == 0 && fields[1].isEmpty {
                if paths.unified == nil { paths.unified = path }
                continue
            }
            for controller in fields[1].split(separator: ",") where paths.v1[String(controller)] == nil {
                paths.v1[String(controller)] = path
            }
        }
        return paths
    }

    /// A memory limit in bytes from cgroup v2 `memory.max` or v1 `memory.limit_in_bytes`.
    ///
    /// Nil for `max`, for 2^62 bytes or more (v1's "unlimited"), for 0 or a negative number
    /// (never compute from 0), and for anything that is not a number.
    static func parseMemoryLimit(_ text: String) -> Int64? {
        let value = text.trimmingWhitespace()
        guard let bytes = Int64(value), bytes > 0, bytes < unlimitedMemoryThreshold else { return nil }
        return bytes
    }

    /// The CPU quota from cgroup v2 `cpu.max` (`quota period`, or `max period` for none).
    ///
    /// Nil for `max`, for a quota or period that is not a positive number, and for any other
    /// shape of content.
    static func parseCPUMax(_ text: String) -> CPUQuota? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Int64(fields[0]), let period = Int64(fields[1]),
              quota > 0, period > 0 else { return nil }
        return CPUQuota(quota: quota, period: period)
    }

    /// The CPU quota from cgroup v1 `cpu.cfs_quota_us` (-1 for none) and `cpu.cfs_period_us`.
    ///
    /// Nil for -1 (no quota), for a quota or period that is not a positive number, and for
    /// content that is not a single number.
    static func parseCFSQuota(quota quotaText: String, period periodText: String) -> CPUQuota? {
        guard let quota = Int64(quotaText.trimmingWhitespace()), let period = Int64(periodText.trimmingWhitespace()),
              quota > 0, period > 0 else { return nil }
        return CPUQuota(quota: quota, period: period)
    }

    /// The number of CPUs in a kernel CPU list such as `0-3,8,10-11` (7), as found in cgroup v2
    /// `cpuset.cpus.effective` and v1 `cpuset.cpus`. Overlapping ranges count once.
    ///
    /// Nil for an empty list (no CPUs assigned says nothing usable), a reversed range, an empty
    /// item, a CPU number above `maxCPUIndex`, or anything that is not a number.
    static func parseCPUList(_ text: String) -> Int? {
        let list = text.trimmingWhitespace()
        guard !list.isEmpty else { return nil }
        var ranges: [ClosedRange<Int>] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = Int(bounds[0]), low >= 0, low <= maxCPUIndex else { return nil }
            var high = low
            if bounds.count == 2 {
                guard let end = Int(bounds[1]), end >= low, end <= maxCPUIndex else { return nil }
                high = end
            }
            ranges.append(low...high)
        }
        var count = 0
        var covered = -1   // the highest CPU counted so far
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.upperBound > covered {
            count += range.upperBound - max(range.lowerBound, covered + 1) + 1
            covered = range.upperBound
        }
        return count
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingWhitespace() -> Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return text[first...last]
    }
}
