import Foundation

/// Reads the memory and CPUs PostgreSQL may use on this host, honouring container limits
/// (cgroup v2 and v1), and says where each number came from.
///
/// Used by `tune` when it runs on the database host without `--ram` / `--cpus`. It reads plain
/// files only, never a server, so tests point `root` at a fixture tree.
///
/// Memory is `MemTotal` from `/proc/meminfo`, lowered by a cgroup limit: v2 `memory.max` or v1
/// `memory.limit_in_bytes`. CPUs are the processor count, lowered by a CFS quota (v2 `cpu.max`,
/// v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`, rounded up) or a cpuset (v2
/// `cpuset.cpus.effective`, v1 `cpuset.cpus`). Limits are looked up in the process's own cgroup
/// (from `/proc/self/cgroup`) and in each of its ancestors up to the mount point, because a
/// parent's limit binds its children and because a container usually sees its own cgroup
/// mounted at `/sys/fs/cgroup`. The tightest value wins and its file is named as the source.
/// Limits that are larger than the machine, "unlimited", 0 or negative, garbage or unreadable
/// are ignored. On a tie MemTotal beats a memory limit and the processor count beats a cpuset
/// (every host's root cpuset lists all its CPUs), but a CPU quota beats both: it is always a
/// deliberate container limit, even when the OS count already reflects it.
struct HostProbe {
    /// Filesystem root to read from: "/" in production, a fixture directory in tests.
    var root: URL = URL(fileURLWithPath: "/")
    /// Processor count the OS reports (ProcessInfo.activeProcessorCount in production), injectable for tests.
    var processorCount: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Where cgroup hierarchies are mounted (v2 at the top, v1 one folder per controller).
    static let cgroupMount = "/sys/fs/cgroup"

    /// Files larger than this are not what the probe is looking for (`/proc/meminfo` is ~1.5 kB).
    static let maxFileSize = 64 * 1024

    /// Memory and CPUs as found under `root`.
    func probe() -> HostResources {
        let paths = CgroupFiles.parseCgroupPaths(read("/proc/self/cgroup") ?? "")
        return HostResources(memoryBytes: memory(paths), cpus: cpus(paths))
    }

    // MARK: - Memory

    /// MemTotal lowered by the tightest cgroup memory limit; nil when neither is usable.
    private func memory(_ paths: CgroupFiles.Paths) -> HostFact<Int64>? {
        var candidates: [HostFact<Int64>] = []
        if let total = read("/proc/meminfo").flatMap(CgroupFiles.parseMeminfo) {
            candidates.append(HostFact(value: total, source: "/proc/meminfo MemTotal"))
        }
        for dir in Self.cgroupDirs(Self.cgroupMount, paths.unified) {
            let file = dir + "/memory.max"
            if let limit = read(file).flatMap(CgroupFiles.parseMemoryLimit) {
                candidates.append(HostFact(value: limit, source: "cgroup v2 memory.max (\(file))"))
            }
        }
        for dir in Self.cgroupDirs(Self.cgroupMount + "/memory", paths.v1["memory"]) {
            let file = dir + "/memory.limit_in_bytes"
            if let limit = read(file).flatMap(CgroupFiles.parseMemoryLimit) {
                candidates.append(HostFact(value: limit, source: "cgroup v1 memory.limit_in_bytes (\(file))"))
            }
        }
        return Self.smallest(candidates)
    }

    // MARK: - CPUs

    /// The processor count lowered by the tightest CPU quota or cpuset; nil when none is usable.
    private func cpus(_ paths: CgroupFiles.Paths) -> HostFact<Int>? {
        // The order settles ties: quotas, then the processor count, then cpusets.
        var candidates: [HostFact<Int>] = []
        for dir in Self.cgroupDirs(Self.cgroupMount, paths.unified) {
            let file = dir + "/cpu.max"
            if let quota = read(file).flatMap(CgroupFiles.parseCPUMax) {
                candidates.append(HostFact(value: quota.cpus, source: "cgroup v2 cpu.max (\(file): \(Self.describe(quota)))"))
            }
        }
        for dir in Self.cgroupDirs(Self.cgroupMount + "/cpu", paths.v1["cpu"]) {
            if let quotaText = read(dir + "/cpu.cfs_quota_us"), let periodText = read(dir + "/cpu.cfs_period_us"),
               let quota = CgroupFiles.parseCFSQuota(quota: quotaText, period: periodText) {
                candidates.append(HostFact(
                    value: quota.cpus,
                    source: "cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us (\(dir): \(Self.describe(quota)))"
                ))
            }
        }
        if processorCount > 0 {
            candidates.append(HostFact(value: processorCount, source: "processor count"))
        }
        let cpusets = Self.cgroupDirs(Self.cgroupMount, paths.unified).map { $0 + "/cpuset.cpus.effective" }
            + Self.cgroupDirs(Self.cgroupMount + "/cpuset", paths.v1["cpuset"]).map { $0 + "/cpuset.cpus" }
        for file in cpusets {
            if let count = read(file).flatMap(CgroupFiles.parseCPUList) {
                candidates.append(HostFact(value: count, source: "cpuset (\(file))"))
            }
        }
        return Self.smallest(candidates)
    }

    /// `quota 150000 / period 100000, rounded up`.
    private static func describe(_ quota: CgroupFiles.CPUQuota) -> String {
        "quota \(quota.quota) / period \(quota.period), rounded up"
    }

    // MARK: - Files

    /// The first candidate with the smallest value (so ties keep the earlier source).
    private static func smallest<Value: Comparable>(_ candidates: [HostFact<Value>]) -> HostFact<Value>? {
        candidates.reduce(nil) { best, next in
            guard let best, best.value <= next.value else { return next }
            return best
        }
    }

    /// The folders to look for limit files in, deepest first: the cgroup `path` under `mount`,
    /// then each ancestor up to `mount` itself. A path with `..` (a cgroup outside this
    /// namespace) or no path at all gives just `mount`.
    static func cgroupDirs(_ mount: String, _ path: String?) -> [String] {
        let components = (path ?? "/").split(separator: "/").filter { $0 != "." }
        guard !components.contains("..") else { return [mount] }
        return (0...components.count).reversed().map { depth in
            ([mount] + components.prefix(depth).map(String.init)).joined(separator: "/")
        }
    }

    /// The text of the file at `path` (an absolute path below `root`), or nil when it is missing,
    /// unreadable, a folder or larger than `maxFileSize`. Bytes that are not UTF-8 are replaced,
    /// so garbage reaches the parsers, which reject it.
    private func read(_ path: String) -> String? {
        let url = root.appendingPathComponent(String(path.drop(while: { $0 == "/" })))
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Self.maxFileSize + 1), data.count <= Self.maxFileSize else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}
