import Model

/// The memory settings: the budget they add up to, autovacuum's share, and work_mem fitted
/// into what is left.
extension ConfigAdvisor {
    /// The server default work_mem: pgadvisor goes below it only when the machine's RAM cannot
    /// hold even that for the connections it plans for, and then says so.
    public static let workMemFloorKB: Int64 = 4096

    /// The budget of the server's current settings, with the workload and version of `inputs`.
    public static func budget(from snapshot: Snapshot, inputs: TuningInputs) -> MemoryBudget? {
        guard let sb = kB(snapshot, "shared_buffers"), let workMem = kB(snapshot, "work_mem"),
              let connections = snapshot.number("max_connections") else { return nil }
        let maintenance = kB(snapshot, "maintenance_work_mem") ?? 65_536
        let autovacuumMem = kB(snapshot, "autovacuum_work_mem").flatMap { $0 > 0 ? $0 : nil } ?? maintenance
        let workers = Int(snapshot.number("autovacuum_max_workers") ?? 3)
        return MemoryBudget(
            sharedBuffersKB: sb, connections: Int(connections), busyShare: MemoryBudget.busyShare(inputs.workload),
            workMemKB: workMem, parallelWorkers: Int(snapshot.number("max_parallel_workers") ?? 8),
            autovacuumWorkers: workers,
            autovacuumMemKB: AutovacuumMemory.perWorkerKB(settingKB: autovacuumMem, majorVersion: snapshot.server.majorVersion),
            autovacuumTotalKB: autovacuumTotal(autovacuumMem, workers: workers, snapshot: snapshot, inputs: inputs),
            ramKB: inputs.ramKB)
    }

    /// The budget of the recommended settings (the server's current value, then the server
    /// default, for what is not recommended).
    static func budget(recommended: Recommended, inputs: TuningInputs, connections: Int, snapshot: Snapshot?) -> MemoryBudget {
        func value(_ name: String, _ fallback: Int64) -> Int64 {
            recommended[name].flatMap { MemoryUnits.parse($0.value) } ?? snapshot.flatMap { kB($0, name) } ?? fallback
        }
        let maintenance = value("maintenance_work_mem", 65_536)
        let autovacuumMem = recommended["autovacuum_work_mem"].flatMap { MemoryUnits.parse($0.value) }
            ?? snapshot.flatMap { kB($0, "autovacuum_work_mem") }.flatMap { $0 > 0 ? $0 : nil } ?? maintenance
        let workers = Int(recommended["autovacuum_max_workers"].flatMap { Double($0.value) }
            ?? snapshot?.number("autovacuum_max_workers") ?? 3)
        return MemoryBudget(
            sharedBuffersKB: value("shared_buffers", 131_072), connections: connections,
            busyShare: MemoryBudget.busyShare(inputs.workload), workMemKB: value("work_mem", 4096),
            parallelWorkers: Int(recommended["max_parallel_workers"].flatMap { Double($0.value) } ?? 8),
            autovacuumWorkers: workers,
            autovacuumMemKB: AutovacuumMemory.perWorkerKB(
                settingKB: autovacuumMem, majorVersion: snapshot?.server.majorVersion ?? inputs.majorVersion),
            autovacuumTotalKB: autovacuumTotal(autovacuumMem, workers: workers, snapshot: snapshot, inputs: inputs),
            ramKB: inputs.ramKB)
    }

    /// Autovacuum's memory at once: with the snapshot's tables, the largest ones bound it.
    static func autovacuumTotal(_ settingKB: Int64, workers: Int, snapshot: Snapshot?, inputs: TuningInputs) -> Int64 {
        let tables = snapshot.flatMap { $0.source("tables")?.isUsable == true ? $0.tables : nil }
        return AutovacuumMemory.totalKB(
            settingKB: settingKB, workers: workers, majorVersion: snapshot?.server.majorVersion ?? inputs.majorVersion,
            tables: tables, blockSize: snapshot?.server.blockSize ?? 8192)
    }

    /// autovacuum_work_mem set explicitly when PGTune's value (or the -1 that gives each worker
    /// maintenance_work_mem) would let the workers together claim more than 1/16 of RAM, or more
    /// than the server gives autovacuum.
    static func autovacuumAdjustment(
        _ recommended: Recommended, inputs: TuningInputs
    ) -> (setting: RecommendedSetting, adjustment: ConfigAdjustment)? {
        guard let maintenance = recommended["maintenance_work_mem"].flatMap({ MemoryUnits.parse($0.value) }) else { return nil }
        let workers = Int(recommended["autovacuum_max_workers"].flatMap { Double($0.value) } ?? 3)
        let pgtune = recommended["autovacuum_work_mem"].flatMap { MemoryUnits.parse($0.value) }
        let ceiling = pgtune ?? maintenance
        let kB = AutovacuumMemory.recommendedKB(
            ramKB: inputs.ramKB, workers: workers, majorVersion: inputs.majorVersion, ceilingKB: ceiling)
        guard kB != ceiling else { return nil }
        let value = MemoryUnits.format(kB: kB)
        let before = pgtune.map { "PGTune's \(MemoryUnits.display(kB: $0))" }
            ?? "-1 (the default: maintenance_work_mem \(MemoryUnits.display(kB: maintenance)) each)"
        var why = "with \(before), \(workers) autovacuum workers could claim \(Format.bytes(Int64(workers) * ceiling * 1024))"
        if inputs.majorVersion <= 16 && ceiling > AutovacuumMemory.arrayCapKB {
            why += ", and PostgreSQL \(inputs.majorVersion) never gives autovacuum more than 1 GB anyway"
        }
        let sixteenth = MemoryUnits.display(kB: inputs.ramKB / AutovacuumMemory.ramDivisor)
        let rule = Int64(workers) * kB <= inputs.ramKB / AutovacuumMemory.ramDivisor
            ? "within 1/16 of RAM (\(sixteenth))"
            : "the server default 64 MB each (1/16 of RAM, \(sixteenth), would leave them less)"
        let reason = "\(workers) workers × \(value) = \(Format.bytes(Int64(workers) * kB * 1024)), \(rule): \(why)"
        let detail = reason + ". The workers vacuum different tables at once, each remembering its table's dead tuples "
            + "(up to PostgreSQL 16 an array allocated up front, 17 and later a TID store that grows): large tables take "
            + "an extra index pass sooner, the budget leaves work_mem for the queries."
        return (RecommendedSetting(name: "autovacuum_work_mem", value: value, reason: reason),
                ConfigAdjustment(kind: .autovacuumMemory, setting: "autovacuum_work_mem", value: value, detail: detail))
    }

    /// work_mem lowered when PGTune's would let the recommended settings overcommit (its
    /// data-size factor can, on few connections and many CPUs).
    static func fitWorkMem(
        _ recommended: Recommended, inputs: TuningInputs, connections: Int, snapshot: Snapshot?
    ) -> (value: String, reason: String, adjustment: ConfigAdjustment)? {
        // work_mem applies on a reload, a lower max_connections only after a restart: until then
        // the server allows its current connections, and work_mem must be safe for those too.
        let allowed = max(connections, Int(snapshot?.number("max_connections") ?? 0))
        let budget = budget(recommended: recommended, inputs: inputs, connections: allowed, snapshot: snapshot)
        guard budget.overcommits, let pgtuneWorkMem = recommended["work_mem"]?.value else { return nil }
        let safeKB = flooredWorkMem(budget.safeWorkMemKB, budget: budget)
        let safe = MemoryUnits.display(kB: safeKB)
        var detail = "PGTune's work_mem \(pgtuneWorkMem) lets the recommended settings claim "
            + "\(Format.bytes(budget.totalKB * 1024)), \(percent(budget.share)) of RAM (" + budgetItems(budget)
            + "); \(safe) keeps the budget within 90 %."
        var reason = "PGTune's \(pgtuneWorkMem) lowered to keep the memory budget within 90 % of RAM"
        if allowed > connections {
            let until = "sized for the \(allowed) connections the server allows until max_connections = \(connections) "
                + "takes effect at the next restart; after it, a new run raises work_mem"
            detail += " It is " + until + "."
            reason += ", " + until
        }
        if safeKB < workMemFloorKB {
            let atFloor = budget.with(workMemKB: workMemFloorKB)
            let tiny = "\(safe) is below the server default 4MB because \(MemoryUnits.display(kB: inputs.ramKB)) RAM is too "
                + "small for \(connections) connections: 4MB would claim \(percent(atFloor.share)) of RAM. Put a pooler in "
                + "front and lower max_connections, or give PostgreSQL more memory."
            detail += " " + tiny
            reason += "; " + tiny
        }
        return (safe, reason, ConfigAdjustment(kind: .memorySafety, setting: "work_mem", value: safe, detail: detail))
    }

    /// `safeKB`, but never below the server default 4 MB while the budget holds that: only RAM
    /// too small for the connections goes lower.
    static func flooredWorkMem(_ safeKB: Int64, budget: MemoryBudget) -> Int64 {
        max(safeKB, min(workMemFloorKB, budget.safeWorkMemKB))
    }

    /// The budget's terms, for sentences.
    static func budgetItems(_ b: MemoryBudget) -> String {
        "shared_buffers \(MemoryUnits.display(kB: b.sharedBuffersKB)) + (\(b.busyConnections) busy of \(b.connections) "
            + "connections + \(b.parallelWorkers) parallel workers) × work_mem \(MemoryUnits.display(kB: b.workMemKB)) × "
            + "\(MemoryBudget.workMemPerConnection) + autovacuum \(Format.bytes(b.autovacuumTotalKB * 1024)) "
            + "(\(b.autovacuumWorkers) workers, up to \(MemoryUnits.display(kB: b.autovacuumMemKB)) each)"
    }
}
