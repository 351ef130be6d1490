import Model
import Planner

/// The configuration advisor: PGTune's baseline for the machine, then adjustments from what the
/// server actually does (when a snapshot is available), each explained.
public enum ConfigAdvisor {
    public static func advise(_ inputs: TuningInputs, snapshot: Snapshot? = nil) -> ConfigAdvice {
        let baseline = PGTune.settings(for: inputs)
        var recommended: [String: (value: String, reason: String)] = [:]
        for setting in baseline { recommended[setting.name] = (setting.value, setting.reason) }
        var adjustments: [ConfigAdjustment] = []

        let connections = inputs.connections ?? PGTune.defaultConnections(inputs.workload)
        let pools = PoolSizing(
            cores: inputs.cpus ?? 1, storage: inputs.storage, dataSize: inputs.dataSize,
            observedConnections: snapshot.map(clientConnections))

        let currentBudget = snapshot.flatMap { budget(from: $0, ramKB: inputs.ramKB) }
        var recommendedBudget = budget(recommended: recommended, inputs: inputs, connections: connections, snapshot: snapshot)
        if recommendedBudget.overcommits, let pgtuneWorkMem = recommended["work_mem"]?.value {
            // PGTune's data-size factor (×1.3 when the data fits in RAM) can push its own work_mem
            // past the budget: keep the baseline, but never recommend an overcommit.
            let safe = MemoryUnits.display(kB: recommendedBudget.safeWorkMemKB)
            adjustments.append(ConfigAdjustment(
                kind: .memorySafety, setting: "work_mem", value: safe,
                detail: "PGTune's work_mem \(pgtuneWorkMem) lets the recommended settings claim "
                    + "\(Format.bytes(recommendedBudget.totalKB * 1024)), \(percent(recommendedBudget.share)) of RAM; "
                    + "\(safe) keeps the budget within 90 %."))
            recommended["work_mem"] = (safe, "PGTune's \(pgtuneWorkMem) lowered to keep the memory budget within 90 % of RAM")
            recommendedBudget = budget(recommended: recommended, inputs: inputs, connections: connections, snapshot: snapshot)
        }

        if let snapshot {
            if let current = currentBudget, current.overcommits {
                let safe = min(current.safeWorkMemKB, recommendedBudget.safeWorkMemKB)
                adjustments.append(ConfigAdjustment(
                    kind: .memorySafety, setting: "work_mem", value: MemoryUnits.display(kB: safe),
                    detail: "The current settings can claim \(Format.bytes(current.totalKB * 1024)) "
                        + "(\(percent(current.share)) of \(MemoryUnits.display(kB: inputs.ramKB)) RAM): shared_buffers "
                        + "\(MemoryUnits.display(kB: current.sharedBuffersKB)) + \(current.connections) connections and "
                        + "\(current.parallelWorkers) parallel workers × work_mem \(MemoryUnits.display(kB: current.workMemKB)) × "
                        + "\(MemoryBudget.workMemPerConnection) + \(current.autovacuumWorkers) autovacuum workers × "
                        + "\(MemoryUnits.display(kB: current.autovacuumMemKB)). Under load the OOM killer ends the server; "
                        + "the largest safe work_mem for these connections is \(MemoryUnits.display(kB: safe))."))
                recommended["work_mem"] = (MemoryUnits.display(kB: safe),
                    "largest work_mem that keeps the memory budget within 90 % of RAM (the current settings overcommit)")
            }
            if let spill = spillAdjustment(snapshot, recommended: recommended, budget: recommendedBudget) {
                adjustments.append(spill)
                if let value = spill.value, spill.kind == .workMemForSpills {
                    recommended["work_mem"] = (value, spill.detail)
                }
            }
            if let wal = walAdjustment(snapshot, recommended: recommended) {
                adjustments.append(wal)
                if let value = wal.value { recommended["max_wal_size"] = (value, wal.detail) }
            }
            if let pool = connectionAdjustment(snapshot, pools: pools) { adjustments.append(pool) }
        }

        let proposed = baseline.map { base -> SettingAdvice in
            let final = recommended[base.name] ?? (base.value, base.reason)
            let current = snapshot?.setting(base.name)
            return SettingAdvice(
                name: base.name, current: current.map(displayValue), recommended: final.value,
                restart: current.map { $0.context == "postmaster" }
                    ?? SettingContexts.needsRestart(base.name, majorVersion: inputs.majorVersion),
                reason: final.reason,
                changes: current.map { !sameValue($0, final.value) } ?? true,
                pgtune: base.value)
        }
        let (settings, refusals) = snapshot.map { validated(proposed, on: $0, inputs: inputs) } ?? (proposed, [])
        // A live server's enum values settle what PGTune can only warn about (lz4, io_uring builds).
        let checked = Set(settings.map(\.name).filter { snapshot?.setting($0)?.enumValues != nil })
        return ConfigAdvice(
            inputs: inputs, connections: connections, settings: settings, adjustments: adjustments + refusals,
            currentBudget: currentBudget, recommendedBudget: budget(
                recommended: recommended, inputs: inputs, connections: connections, snapshot: snapshot),
            pools: pools, warnings: PGTune.warnings(for: inputs).filter { warning in !checked.contains { warning.hasPrefix("\($0) = ") } })
    }

    /// Each recommendation checked against the live server's `pg_settings` row
    /// (``SettingValidation``): a value it would refuse is replaced by the best valid one, or
    /// dropped, and the adjustment says why.
    static func validated(_ settings: [SettingAdvice], on snapshot: Snapshot, inputs: TuningInputs) -> ([SettingAdvice], [ConfigAdjustment]) {
        var adjustments: [ConfigAdjustment] = []
        let checked = settings.map { advice -> SettingAdvice in
            var advice = advice
            let current = snapshot.setting(advice.name)
            switch SettingValidation.check(advice.name, advice.recommended, on: snapshot, ramBytes: inputs.ramBytes) {
            case .valid:
                return advice
            case .replaced(let value, let reason):
                advice.recommended = value
                advice.reason += "; " + reason
                advice.changes = current.map { !sameValue($0, value) } ?? true
                adjustments.append(ConfigAdjustment(kind: .serverValidation, setting: advice.name, value: value, detail: reason))
            case .refused(let reason):
                advice.recommended = current.map(displayValue) ?? advice.recommended
                advice.reason = reason + "; the current value stays"
                advice.changes = false
                adjustments.append(ConfigAdjustment(kind: .serverValidation, setting: advice.name, value: nil, detail: reason))
            }
            return advice
        }
        return (checked, adjustments)
    }

    // MARK: Memory

    /// The budget of the server's current settings.
    public static func budget(from snapshot: Snapshot, ramKB: Int64) -> MemoryBudget? {
        guard let sb = kB(snapshot, "shared_buffers"), let workMem = kB(snapshot, "work_mem"),
              let connections = snapshot.number("max_connections") else { return nil }
        let maintenance = kB(snapshot, "maintenance_work_mem") ?? 65_536
        let autovacuumMem = kB(snapshot, "autovacuum_work_mem") ?? maintenance
        return MemoryBudget(
            sharedBuffersKB: sb, connections: Int(connections), workMemKB: workMem,
            parallelWorkers: Int(snapshot.number("max_parallel_workers") ?? 8),
            autovacuumWorkers: Int(snapshot.number("autovacuum_max_workers") ?? 3), autovacuumMemKB: autovacuumMem,
            ramKB: ramKB)
    }

    static func budget(
        recommended: [String: (value: String, reason: String)], inputs: TuningInputs, connections: Int,
        snapshot: Snapshot?
    ) -> MemoryBudget {
        func value(_ name: String, _ fallback: Int64) -> Int64 {
            recommended[name].flatMap { MemoryUnits.parse($0.value) } ?? snapshot.flatMap { kB($0, name) } ?? fallback
        }
        let maintenance = value("maintenance_work_mem", 65_536)
        return MemoryBudget(
            sharedBuffersKB: value("shared_buffers", 131_072), connections: connections,
            workMemKB: value("work_mem", 4096),
            parallelWorkers: Int(recommended["max_parallel_workers"].flatMap { Double($0.value) } ?? 8),
            autovacuumWorkers: Int(recommended["autovacuum_max_workers"].flatMap { Double($0.value) } ?? 3),
            autovacuumMemKB: recommended["autovacuum_work_mem"].flatMap { MemoryUnits.parse($0.value) } ?? maintenance,
            ramKB: inputs.ramKB)
    }

    // MARK: Adjustments

    /// work_mem for the statements that spill to temporary files, within the memory budget.
    static func spillAdjustment(
        _ snapshot: Snapshot, recommended: [String: (value: String, reason: String)], budget: MemoryBudget
    ) -> ConfigAdjustment? {
        let blockSize = Int64(snapshot.server.blockSize)
        // Real volume only: at least 8 MB written in all and a spill on a typical call.
        let spilling = snapshot.statements.filter {
            $0.calls > 0 && $0.tempBlocksWritten * blockSize >= 8 * 1_048_576
        }
        guard !spilling.isEmpty else { return nil }
        // A sort that spills N bytes needs about twice that in memory to stay there.
        let neededKB = spilling.map { s -> Int64 in
            let perCallKB = s.tempBlocksWritten * blockSize / 1024 / s.calls
            return ConfigValue.powerOfTwo(atLeast: (perCallKB * 2 + 1023) / 1024) * 1024
        }.max() ?? 0
        let current = recommended["work_mem"].flatMap { MemoryUnits.parse($0.value) } ?? 4096
        guard neededKB > current else { return nil }
        let databaseTemp = snapshot.database.map { " pg_stat_database counts \(Format.count($0.tempFiles)) temporary files, \(Format.bytes($0.tempBytes))." } ?? ""
        let roles = Array(Set(spilling.compactMap(\.userName))).sorted()
        if neededKB <= budget.safeWorkMemKB {
            return ConfigAdjustment(
                kind: .workMemForSpills, setting: "work_mem", value: MemoryUnits.display(kB: neededKB),
                detail: "\(spilling.count) statement(s) spill to temporary files (up to "
                    + "\(MemoryUnits.display(kB: neededKB / 2)) per call); work_mem \(MemoryUnits.display(kB: neededKB)) keeps "
                    + "them in memory and the budget stays within 90 % of RAM.\(databaseTemp)")
        }
        return ConfigAdjustment(
            kind: .workMemPerRole, setting: "work_mem", value: nil,
            detail: "\(spilling.count) statement(s) spill to temporary files and would need work_mem "
                + "\(MemoryUnits.display(kB: neededKB)), but raising it for every connection would overcommit memory "
                + "(safe at most \(MemoryUnits.display(kB: budget.safeWorkMemKB))). Raise it only where it is needed: "
                + (roles.isEmpty ? "SET work_mem in the sessions that run them"
                    : roles.map { StatementSQL.inline(StatementSQL.alterRoleSet($0, "work_mem", MemoryUnits.display(kB: neededKB))) }
                        .joined(separator: "; "))
                + ", or SET LOCAL work_mem in the transactions that run them.\(databaseTemp)")
    }

    /// max_wal_size from the share of checkpoints requested by WAL volume.
    static func walAdjustment(_ snapshot: Snapshot, recommended: [String: (value: String, reason: String)]) -> ConfigAdjustment? {
        guard let c = snapshot.checkpoints else { return nil }
        let total = c.timed + c.requested
        guard total >= 10 else { return nil }
        let share = Double(c.requested) / Double(total)
        guard share > 0.2, let current = kB(snapshot, "max_wal_size") else { return nil }
        let proposed = max(current * 2, recommended["max_wal_size"].flatMap { MemoryUnits.parse($0.value) } ?? 0)
        return ConfigAdjustment(
            kind: .maxWalSize, setting: "max_wal_size", value: MemoryUnits.display(kB: proposed),
            detail: "\(percent(share)) of checkpoints (\(c.requested) of \(total)) were requested because WAL reached "
                + "max_wal_size \(MemoryUnits.display(kB: current)) before checkpoint_timeout: "
                + "\(MemoryUnits.display(kB: proposed)) spaces them out (fewer full-page writes, less I/O).")
    }

    /// max_connections against the sessions seen and what the cores can serve.
    static func connectionAdjustment(_ snapshot: Snapshot, pools: PoolSizing) -> ConfigAdjustment? {
        guard let max = snapshot.number("max_connections").map(Int.init) else { return nil }
        let open = clientConnections(snapshot)
        let active = snapshot.sessions.filter { SessionKind.isClient($0) && $0.state == SessionKind.active }.count
        let capacity = "the \(pools.ceiling) connections \(pools.cores) cores serve at once (cores × 2 + \(pools.effectiveSpindles))"
        if open > pools.ceiling * 2 {
            let tier = pools.tiers.first(where: \.observed)
            return ConfigAdjustment(
                kind: .connections, setting: "max_connections", value: nil,
                detail: "\(open) client connections are open (\(active) active), more than twice \(capacity): beyond that "
                    + "they queue for CPU and each costs memory. Put PgBouncer (transaction mode) in front"
                    + (tier.map { "; the \($0.load.rawValue) tier of the pool table fits this load" } ?? "") + ".")
        }
        if max > pools.ceiling * 4 && open * 4 < max {
            return ConfigAdjustment(
                kind: .connections, setting: "max_connections", value: nil,
                detail: "max_connections is \(max), more than four times \(capacity), while \(open) client connections "
                    + "are open now (\(active) active). Every slot reserves shared memory even when unused: if this "
                    + "is the usual peak, lower max_connections to the pool table's value, and put a pooler in front "
                    + "before the application needs more.")
        }
        return nil
    }

    // MARK: Helpers

    static func clientConnections(_ snapshot: Snapshot) -> Int {
        snapshot.sessions.filter(SessionKind.countsAsClient).count
    }

    static func kB(_ snapshot: Snapshot, _ name: String) -> Int64? {
        snapshot.setting(name).flatMap { MemoryUnits.settingValue($0.value, unit: $0.unit) }
    }

    /// A pg_settings value as PostgreSQL prints it (`128MB`, `0.9`, `on`).
    public static func displayValue(_ setting: Setting) -> String {
        if let kb = MemoryUnits.settingValue(setting.value, unit: setting.unit), ["B", "kB", "8kB", "MB"].contains(setting.unit ?? "") {
            return MemoryUnits.display(kB: kb)
        }
        if let unit = setting.unit, !unit.isEmpty { return setting.value + unit }
        return setting.value
    }

    /// Whether the server's value equals `recommended` (memory compared in kB, numbers numerically).
    static func sameValue(_ setting: Setting, _ recommended: String) -> Bool {
        if let current = MemoryUnits.settingValue(setting.value, unit: setting.unit), let target = MemoryUnits.parse(recommended),
           ["B", "kB", "8kB", "MB"].contains(setting.unit ?? "") {
            return current == target
        }
        if let a = Double(setting.value), let b = Double(recommended) { return a == b }
        return setting.value.lowercased() == recommended.lowercased()
    }

    static func percent(_ x: Double) -> String { Format.percent(x, digits: 0) }

}

/// The advisor's answer.
public struct ConfigAdvice: Sendable {
    public var inputs: TuningInputs
    /// The max_connections every formula used.
    public var connections: Int
    public var settings: [SettingAdvice]
    public var adjustments: [ConfigAdjustment]
    /// The memory the server's current settings can claim (with a snapshot).
    public var currentBudget: MemoryBudget?
    public var recommendedBudget: MemoryBudget
    public var pools: PoolSizing
    public var warnings: [String]
}

/// One setting: what the server has, what to set, why, and what applying it takes.
public struct SettingAdvice: Sendable, Equatable {
    public var name: String
    /// The server's value in its own syntax; nil without a connection.
    public var current: String?
    public var recommended: String
    /// true when the setting's context is `postmaster`.
    public var restart: Bool
    public var reason: String
    /// false when the server already has the recommended value.
    public var changes: Bool
    /// PGTune's value for the same inputs (differs from `recommended` after an adjustment).
    public var pgtune: String
}

/// A recommendation beyond the calculator, from what the server does.
public struct ConfigAdjustment: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case memorySafety = "memory-safety"
        case workMemForSpills = "work-mem-for-spills"
        case workMemPerRole = "work-mem-per-role"
        case maxWalSize = "max-wal-size"
        case connections
        /// The server would refuse PGTune's value (an enum its build lacks, a number out of range,
        /// a start-time setting it could not start with).
        case serverValidation = "server-validation"
    }

    public var kind: Kind
    public var setting: String
    /// The value it proposes for `setting`; nil when the advice is not a global value.
    public var value: String?
    public var detail: String
}
