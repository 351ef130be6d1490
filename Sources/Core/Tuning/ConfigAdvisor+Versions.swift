import Model

/// Where the server version changes the advice PGTune's formulas give: PostgreSQL 18's
/// asynchronous I/O (`io_method`, `io_workers`), its higher I/O concurrency defaults, and its
/// autovacuum worker slots. Nothing here is emitted for a version that lacks the setting.
extension ConfigAdvisor {
    /// The server default PGTune leaves for the settings pgadvisor adds to its list.
    static func serverDefault(_ name: String, majorVersion: Int) -> String {
        switch name {
        case "maintenance_io_concurrency": return majorVersion >= 18 ? "16" : "10"
        case "autovacuum_worker_slots": return "16"
        case "io_workers": return "3"
        default: return "-1"
        }
    }

    static func versionAdjustments(
        _ recommended: inout Recommended, baseline: inout [RecommendedSetting], inputs: TuningInputs, snapshot: Snapshot?
    ) {
        let version = snapshot?.server.majorVersion ?? inputs.majorVersion
        ioMethod(&recommended, baseline: &baseline, version: version, cpus: inputs.cpus, snapshot: snapshot)
        ioConcurrency(&recommended, baseline: &baseline, version: version)
        autovacuumSlots(&recommended, baseline: &baseline, version: version, snapshot: snapshot)
    }

    /// PGTune picks io_uring on Linux, which only servers built with liburing accept (and
    /// container seccomp profiles or memlock limits can still block): without a server to ask,
    /// keep 18's default `worker`. A live server's list of values settles it (SettingValidation).
    /// With `worker`, io_workers follows PGTune's formula for it, `min(32, max(3, ⌊N/4⌋))`.
    static func ioMethod(
        _ recommended: inout Recommended, baseline: inout [RecommendedSetting], version: Int, cpus: Int?, snapshot: Snapshot?
    ) {
        guard version >= 18, recommended["io_method"]?.value == "io_uring" else { return }
        let offered = snapshot?.setting("io_method")?.enumValues
        if offered?.contains("io_uring") == true { return }
        if offered == nil {
            recommended["io_method"] = ("worker",
                "PostgreSQL \(version)'s default; io_uring (PGTune's choice on Linux) needs a server built with liburing "
                    + "and a kernel and container that allow it: run tune against the server to see whether it offers io_uring")
        }
        // A server without io_uring gets worker from SettingValidation, which says why.
        guard let n = cpus, min(32, max(3, n / 4)) > 3, !baseline.contains(where: { $0.name == "io_workers" }) else { return }
        let workers = RecommendedSetting(
            name: "io_workers", value: "\(min(32, max(3, n / 4)))",
            reason: "min(32, max(3, \(n) CPUs / 4)) for io_method = worker (PGTune's formula for worker)")
        recommended[workers.name] = (workers.value, workers.reason)
        let after = baseline.firstIndex { $0.name == "io_method" }.map { $0 + 1 } ?? baseline.endIndex
        baseline.insert(workers, at: after)
    }

    /// effective_io_concurrency never below 18's default 16 (PGTune's hdd value 2 dates from
    /// posix_fadvise prefetching), and maintenance_io_concurrency (13+) at the same depth.
    static func ioConcurrency(_ recommended: inout Recommended, baseline: inout [RecommendedSetting], version: Int) {
        guard let current = recommended["effective_io_concurrency"], var value = Int(current.value) else { return }
        var reason = current.reason
        if version >= 18 && value < 16 {
            value = 16
            reason = "PostgreSQL \(version)'s default 16 (1 before 18): asynchronous reads keep that many in flight even "
                + "on disks; PGTune's \(current.value) would lower it"
        } else {
            reason += version >= 18 ? "; the server default is 16 from PostgreSQL 18" : "; the server default is 1 before PostgreSQL 18"
        }
        recommended["effective_io_concurrency"] = ("\(value)", reason)
        guard version >= 13 else { return }
        let maintenance = RecommendedSetting(
            name: "maintenance_io_concurrency", value: "\(value)",
            reason: "prefetch depth for VACUUM and ANALYZE, as effective_io_concurrency = \(value) for this storage "
                + "(server default \(serverDefault("maintenance_io_concurrency", majorVersion: version)) on PostgreSQL \(version))")
        recommended[maintenance.name] = (maintenance.value, maintenance.reason)
        if !baseline.contains(where: { $0.name == maintenance.name }) {
            let after = baseline.firstIndex { $0.name == "effective_io_concurrency" }.map { $0 + 1 } ?? baseline.endIndex
            baseline.insert(maintenance, at: after)
        }
    }

    /// From 18, autovacuum_max_workers is reloadable but capped by autovacuum_worker_slots,
    /// reserved at start (default 16): more workers than slots need more slots (a restart).
    static func autovacuumSlots(
        _ recommended: inout Recommended, baseline: inout [RecommendedSetting], version: Int, snapshot: Snapshot?
    ) {
        guard version >= 18, let workers = recommended["autovacuum_max_workers"], let count = Int(workers.value) else { return }
        let slots = snapshot?.setting("autovacuum_worker_slots").flatMap { Int($0.value) } ?? 16
        recommended["autovacuum_max_workers"] = (workers.value, workers.reason
            + "; a reload applies it on PostgreSQL \(version), up to autovacuum_worker_slots (\(slots))")
        guard count > slots else { return }
        let setting = RecommendedSetting(
            name: "autovacuum_worker_slots", value: "\(count)",
            reason: "autovacuum_max_workers = \(count) is above the \(slots) worker slots reserved at start; "
                + "more slots take a restart")
        recommended[setting.name] = (setting.value, setting.reason)
        if !baseline.contains(where: { $0.name == setting.name }) {
            let after = baseline.firstIndex { $0.name == "autovacuum_max_workers" }.map { $0 + 1 } ?? baseline.endIndex
            baseline.insert(setting, at: after)
        }
    }
}
