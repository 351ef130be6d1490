import Foundation
import Testing
@testable import Commands

/// The host probe against fixture trees (`Fixtures/host/<case>/proc/...`, `.../sys/fs/cgroup/...`)
/// and its parsers against single file contents.
struct HostProbeTests {
    static let kB: Int64 = 1024
    static let MiB: Int64 = 1 << 20
    static let GiB: Int64 = 1 << 30

    /// One fixture tree and what the probe must report for it.
    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        var processorCount: Int
        var memory: HostFact<Int64>?
        var cpus: HostFact<Int>?
        var testDescription: String { "\(fixture), \(processorCount) processors" }
    }

    static let meminfo = "/proc/meminfo MemTotal"
    static let processors = "processor count"

    static let cases: [Case] = [
        Case(fixture: "bare-metal", processorCount: 8,
             memory: HostFact(value: 16 * GiB, source: meminfo),
             cpus: HostFact(value: 8, source: processors)),
        Case(fixture: "cgroup-v2-limit", processorCount: 8,
             memory: HostFact(value: 2 * GiB, source: "cgroup v2 memory.max (/sys/fs/cgroup/memory.max)"),
             cpus: HostFact(value: 2, source: "cgroup v2 cpu.max (/sys/fs/cgroup/cpu.max: quota 150000 / period 100000, rounded up)")),
        // A quota equal to the processor count is still named: it is a container limit.
        Case(fixture: "cgroup-v2-limit", processorCount: 2,
             memory: HostFact(value: 2 * GiB, source: "cgroup v2 memory.max (/sys/fs/cgroup/memory.max)"),
             cpus: HostFact(value: 2, source: "cgroup v2 cpu.max (/sys/fs/cgroup/cpu.max: quota 150000 / period 100000, rounded up)")),
        // `max` for both; a cpuset listing every CPU does not displace the processor count.
        Case(fixture: "cgroup-v2-max", processorCount: 8,
             memory: HostFact(value: 16 * GiB, source: meminfo),
             cpus: HostFact(value: 8, source: processors)),
        // No memory controller, so no memory.max: MemTotal, never 0.
        Case(fixture: "cgroup-v2-no-memory-controller", processorCount: 4,
             memory: HostFact(value: 8 * GiB, source: meminfo),
             cpus: HostFact(value: 4, source: processors)),
        // Memory limit on the service's own cgroup, CPU quota on its parent slice.
        Case(fixture: "cgroup-v2-nested", processorCount: 16,
             memory: HostFact(value: 4 * GiB, source: "cgroup v2 memory.max (/sys/fs/cgroup/system.slice/postgresql.service/memory.max)"),
             cpus: HostFact(value: 3, source: "cgroup v2 cpu.max (/sys/fs/cgroup/system.slice/cpu.max: quota 300000 / period 100000, rounded up)")),
        // /proc/self/cgroup names a path the container does not see: its own cgroup is the mount.
        Case(fixture: "cgroup-v2-nested-outside-mount", processorCount: 8,
             memory: HostFact(value: 1 * GiB, source: "cgroup v2 memory.max (/sys/fs/cgroup/memory.max)"),
             cpus: HostFact(value: 2, source: "cgroup v2 cpu.max (/sys/fs/cgroup/cpu.max: quota 200000 / period 100000, rounded up)")),
        Case(fixture: "cgroup-v1-limit", processorCount: 4,
             memory: HostFact(value: 1 * GiB, source: "cgroup v1 memory.limit_in_bytes (/sys/fs/cgroup/memory/memory.limit_in_bytes)"),
             cpus: HostFact(value: 1, source: "cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us (/sys/fs/cgroup/cpu: quota 50000 / period 100000, rounded up)")),
        // The v1 memory path from /proc/self/cgroup (`4:memory:/process_api/...`); ancestors unlimited.
        Case(fixture: "cgroup-v1-nested", processorCount: 2,
             memory: HostFact(value: 512 * MiB, source: "cgroup v1 memory.limit_in_bytes (/sys/fs/cgroup/memory/process_api/dcbdd6f3/memory.limit_in_bytes)"),
             cpus: HostFact(value: 2, source: processors)),
        // 9223372036854771712 and a quota of -1 mean no limit.
        Case(fixture: "cgroup-v1-unlimited", processorCount: 4,
             memory: HostFact(value: 8 * GiB, source: meminfo),
             cpus: HostFact(value: 4, source: processors)),
        // Limits larger than MemTotal (4 GiB, 8 GiB on a 1 GiB machine) and a quota of 16 CPUs on 4.
        Case(fixture: "limit-above-memtotal-v1", processorCount: 2,
             memory: HostFact(value: 1 * GiB, source: meminfo),
             cpus: HostFact(value: 2, source: processors)),
        Case(fixture: "limit-above-memtotal-v2", processorCount: 4,
             memory: HostFact(value: 1 * GiB, source: meminfo),
             cpus: HostFact(value: 4, source: processors)),
        // Quota of 4 CPUs, cpuset 0-1, 8 processors: the cpuset wins.
        Case(fixture: "cpuset-narrower-than-quota", processorCount: 8,
             memory: HostFact(value: 16 * GiB, source: meminfo),
             cpus: HostFact(value: 2, source: "cpuset (/sys/fs/cgroup/cpuset.cpus.effective)")),
        // memory.max 0, limit_in_bytes -1, cpu.max quota 0, period 0, empty cpuset: all ignored.
        Case(fixture: "zero-limits", processorCount: 2,
             memory: HostFact(value: 4 * GiB, source: meminfo),
             cpus: HostFact(value: 2, source: processors)),
        // Garbage in every file, non-UTF-8 bytes, a folder named cpu.max: nothing usable, no crash.
        Case(fixture: "garbage", processorCount: 4,
             memory: nil,
             cpus: HostFact(value: 4, source: processors)),
        Case(fixture: "missing-meminfo", processorCount: 2,
             memory: nil,
             cpus: HostFact(value: 2, source: processors)),
        // Without MemTotal a cgroup limit is still a usable number.
        Case(fixture: "missing-meminfo-with-limit", processorCount: 2,
             memory: HostFact(value: 2 * GiB, source: "cgroup v2 memory.max (/sys/fs/cgroup/memory.max)"),
             cpus: HostFact(value: 2, source: processors)),
        // No processor count from the OS: a quota still gives a number.
        Case(fixture: "cgroup-v1-limit", processorCount: 0,
             memory: HostFact(value: 1 * GiB, source: "cgroup v1 memory.limit_in_bytes (/sys/fs/cgroup/memory/memory.limit_in_bytes)"),
             cpus: HostFact(value: 1, source: "cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us (/sys/fs/cgroup/cpu: quota 50000 / period 100000, rounded up)")),
        Case(fixture: "bare-metal", processorCount: 0,
             memory: HostFact(value: 16 * GiB, source: meminfo),
             cpus: nil),
        Case(fixture: "no-such-fixture", processorCount: 0, memory: nil, cpus: nil),
    ]

    /// The fixture tree for `name`, found next to this file.
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // Host
            .deletingLastPathComponent()   // CommandsTests
            .appendingPathComponent("Fixtures/host/\(name)", isDirectory: true)
    }

    @Test(arguments: cases)
    func probe(_ c: Case) {
        let found = HostProbe(root: Self.fixture(c.fixture), processorCount: c.processorCount).probe()
        #expect(found.memoryBytes == c.memory)
        #expect(found.cpus == c.cpus)
    }

    @Test func fixturesExist() {
        for c in Self.cases where c.fixture != "no-such-fixture" {
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: Self.fixture(c.fixture).path, isDirectory: &isFolder)
                    && isFolder.boolValue, "missing fixture \(c.fixture)")
        }
    }

    @Test func cgroupDirsWalkFromTheProcessCgroupUpToTheMount() {
        #expect(HostProbe.cgroupDirs("/sys/fs/cgroup", "/system.slice/pg.service") == [
            "/sys/fs/cgroup/system.slice/pg.service", "/sys/fs/cgroup/system.slice", "/sys/fs/cgroup",
        ])
        #expect(HostProbe.cgroupDirs("/sys/fs/cgroup/memory", "/") == ["/sys/fs/cgroup/memory"])
        #expect(HostProbe.cgroupDirs("/sys/fs/cgroup", nil) == ["/sys/fs/cgroup"])
        #expect(HostProbe.cgroupDirs("/sys/fs/cgroup", "//a/./b/") == [
            "/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup",
        ])
        // A cgroup outside the namespace never escapes the mount.
        #expect(HostProbe.cgroupDirs("/sys/fs/cgroup", "/../../user.slice") == ["/sys/fs/cgroup"])
    }

    // MARK: - Parsers

    @Test func meminfo() {
        #expect(CgroupFiles.parseMeminfo("MemTotal:       24684096 kB\nMemFree:  1 kB\n") == 24_684_096 * Self.kB)
        #expect(CgroupFiles.parseMeminfo("MemFree: 1 kB\nMemTotal: 1024 kB") == 1 * Self.MiB)
        #expect(CgroupFiles.parseMeminfo("MemFree: 1 kB\n") == nil)
        #expect(CgroupFiles.parseMeminfo("MemTotal: 0 kB\n") == nil)
        #expect(CgroupFiles.parseMeminfo("MemTotal: -5 kB\n") == nil)
        #expect(CgroupFiles.parseMeminfo("MemTotal: 1024\n") == nil)
        #expect(CgroupFiles.parseMeminfo("MemTotal: 1024 MB\n") == nil)
        #expect(CgroupFiles.parseMeminfo("MemTotal: lots kB\n") == nil)
        #expect(CgroupFiles.parseMeminfo("MemTotal: 9223372036854775807 kB\n") == nil)
        #expect(CgroupFiles.parseMeminfo("") == nil)
    }

    @Test func cgroupPaths() {
        #expect(CgroupFiles.parseCgroupPaths("0::/\n") == CgroupFiles.Paths(unified: "/"))
        #expect(CgroupFiles.parseCgroupPaths("0::/system.slice/postgresql.service\n")
                == CgroupFiles.Paths(unified: "/system.slice/postgresql.service"))
        let hybrid = "9:name=systemd:/\n4:memory:/process_api/dcbdd6f3\n2:cpu,cpuacct:/cg\n1:cpuset:/\n0::/\n"
        #expect(CgroupFiles.parseCgroupPaths(hybrid) == CgroupFiles.Paths(unified: "/", v1: [
            "name=systemd": "/", "memory": "/process_api/dcbdd6f3", "cpu": "/cg", "cpuacct": "/cg", "cpuset": "/",
        ]))
        // Paths may contain colons; malformed lines are skipped.
        #expect(CgroupFiles.parseCgroupPaths("3:memory:/a:b\n") == CgroupFiles.Paths(v1: ["memory": "/a:b"]))
        #expect(CgroupFiles.parseCgroupPaths("garbage\n::\nx:memory:/a\n0::relative\n-1:cpu:/x\n")
                == CgroupFiles.Paths())
        #expect(CgroupFiles.parseCgroupPaths("") == CgroupFiles.Paths())
    }

    @Test func memoryLimit() {
        #expect(CgroupFiles.parseMemoryLimit("2147483648\n") == 2 * Self.GiB)
        #expect(CgroupFiles.parseMemoryLimit("1073741824") == 1 * Self.GiB)
        #expect(CgroupFiles.parseMemoryLimit("max\n") == nil)
        #expect(CgroupFiles.parseMemoryLimit("9223372036854771712\n") == nil)   // v1 "unlimited"
        #expect(CgroupFiles.parseMemoryLimit("\(Int64(1) << 62)") == nil)
        #expect(CgroupFiles.parseMemoryLimit("\((Int64(1) << 62) - 1)") == (Int64(1) << 62) - 1)
        #expect(CgroupFiles.parseMemoryLimit("18446744073709551615\n") == nil)  // 2^64 - 1
        #expect(CgroupFiles.parseMemoryLimit("0\n") == nil)
        #expect(CgroupFiles.parseMemoryLimit("-1\n") == nil)
        #expect(CgroupFiles.parseMemoryLimit("2G\n") == nil)
        #expect(CgroupFiles.parseMemoryLimit("") == nil)
    }

    @Test func cpuMax() {
        let quota = CgroupFiles.parseCPUMax("150000 100000\n")
        #expect(quota == CgroupFiles.CPUQuota(quota: 150_000, period: 100_000))
        #expect(quota?.cpus == 2)
        #expect(CgroupFiles.parseCPUMax("200000 100000")?.cpus == 2)
        #expect(CgroupFiles.parseCPUMax("10000 100000")?.cpus == 1)
        #expect(CgroupFiles.parseCPUMax("250000 50000")?.cpus == 5)
        #expect(CgroupFiles.parseCPUMax("max 100000\n") == nil)
        #expect(CgroupFiles.parseCPUMax("max\n") == nil)
        #expect(CgroupFiles.parseCPUMax("150000\n") == nil)
        #expect(CgroupFiles.parseCPUMax("0 100000\n") == nil)
        #expect(CgroupFiles.parseCPUMax("-1 100000\n") == nil)
        #expect(CgroupFiles.parseCPUMax("150000 0\n") == nil)
        #expect(CgroupFiles.parseCPUMax("fast 100000\n") == nil)
        #expect(CgroupFiles.parseCPUMax("1 2 3\n") == nil)
        #expect(CgroupFiles.parseCPUMax("") == nil)
        #expect(CgroupFiles.CPUQuota(quota: .max, period: 1).cpus == Int.max)
    }

    @Test func cfsQuota() {
        #expect(CgroupFiles.parseCFSQuota(quota: "50000\n", period: "100000\n")?.cpus == 1)
        #expect(CgroupFiles.parseCFSQuota(quota: "300001\n", period: "100000\n")?.cpus == 4)
        #expect(CgroupFiles.parseCFSQuota(quota: "-1\n", period: "100000\n") == nil)
        #expect(CgroupFiles.parseCFSQuota(quota: "0\n", period: "100000\n") == nil)
        #expect(CgroupFiles.parseCFSQuota(quota: "50000\n", period: "0\n") == nil)
        #expect(CgroupFiles.parseCFSQuota(quota: "50000 50000\n", period: "100000\n") == nil)
        #expect(CgroupFiles.parseCFSQuota(quota: "", period: "") == nil)
    }

    @Test func cpuList() {
        #expect(CgroupFiles.parseCPUList("0-3,8,10-11\n") == 7)
        #expect(CgroupFiles.parseCPUList("0-1\n") == 2)
        #expect(CgroupFiles.parseCPUList("5") == 1)
        #expect(CgroupFiles.parseCPUList("0-3,2-5,4") == 6)       // overlaps count once
        #expect(CgroupFiles.parseCPUList("8,0-1") == 3)           // any order
        #expect(CgroupFiles.parseCPUList("0-1,0-1") == 2)
        #expect(CgroupFiles.parseCPUList("\n") == nil)            // no CPUs: nothing usable
        #expect(CgroupFiles.parseCPUList("") == nil)
        #expect(CgroupFiles.parseCPUList("3-1") == nil)
        #expect(CgroupFiles.parseCPUList("0-a,3") == nil)
        #expect(CgroupFiles.parseCPUList("0-") == nil)
        #expect(CgroupFiles.parseCPUList("0,,2") == nil)
        #expect(CgroupFiles.parseCPUList("-1") == nil)
        #expect(CgroupFiles.parseCPUList("0-9223372036854775807") == nil)
        #expect(CgroupFiles.parseCPUList("0-\(CgroupFiles.maxCPUIndex)") == CgroupFiles.maxCPUIndex + 1)
    }
}
