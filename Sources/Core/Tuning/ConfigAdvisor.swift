import Model
import Planner

/// The configuration advisor: PGTune's baseline for the machine, then adjustments from what the
/// server actually does (when a snapshot is available), each explained.
///
/// `tune` prints this advice and the audit's memory rules judge the server against it, so each
/// setting is computed once, here, from the same inputs.
public enum ConfigAdvisor {
    /// Setting name to its recommended value and the reason for it.
    typealias Recommended = [String: (value: String, reason: String)]

    public static func advise(_ given: TuningInputs, snapshot: Snapshot? = nil) -> ConfigAdvice {
        let pools = PoolSizing(
            cores: given.cpus ?? 1, storage: given.storage, dataSize: given.dataSize,
            observedConnections: snapshot.map(clientConnections))
        // With a live server the connections to plan for are the ones it needs, not PGTune's
        // calculator default: PGTune's formulas then run with them, like any given count.
        let need = snapshot.flatMap { observedNeed(given, $0, pools: pools) }
        var inputs = given
        if let need { inputs.connections = need.connections }
        let connections = inputs.connections ?? PGTune.defaultConnections(inputs.workload)
        var baseline = PGTune.settings(for: inputs)
        var recommended: Recommended = [:]
        for setting in baseline { recommended[setting.name] = (setting.value, setting.reason) }
        var adjustments: [ConfigAdjustment] = []
        if let need {
            recommended["max_connections"] = ("\(need.connections)", need.reason)
            adjustments.append(ConfigAdjustment(
                kind: .connections, setting: "max_connections", value: "\(need.connections)", detail: need.detail))
        }
        versionAdjustments(&recommended, baseline: &baseline, inputs: inputs, snapshot: snapshot)
        if let autovacuum = autovacuumAdjustment(recommended, inputs: inputs) {
            adjustments.append(autovacuum.adjustment)
            recommended["autovacuum_work_mem"] = (autovacuum.setting.value, autovacuum.setting.reason)
            if !baseline.contains(where: { $0.name == "autovacuum_work_mem" }) { insert(autovacuum.setting, into: &baseline) }
        }
        if let fit = fitWorkMem(recommended, inputs: inputs, connections: connections, snapshot: snapshot) {
            adjustments.append(fit.adjustment)
            recommended["work_mem"] = (fit.value, fit.reason)
        }
        let currentBudget = snapshot.flatMap { budget(from: $0, inputs: inputs) }
        if let snapshot {
            adjustments += liveAdjustments(
                &recommended, snapshot: snapshot, inputs: inputs, connections: connections, currentBudget: currentBudget,
                pools: pools, connectionsFollowServer: need != nil)
        }
        let pgtuneNames = Set(PGTune.settings(for: inputs).map(\.name))
        // Settings PGTune does not emit stay at the server default in its column.
        let version = snapshot?.server.majorVersion ?? inputs.majorVersion
        let proposed = baseline.map { base in
            settingAdvice(base, final: recommended[base.name] ?? (base.value, base.reason),
                          pgtune: pgtuneNames.contains(base.name) ? base.value : serverDefault(base.name, majorVersion: version),
                          inputs: inputs, snapshot: snapshot)
        }
        let (settings, refusals) = snapshot.map { validated(proposed, on: $0, inputs: inputs) } ?? (proposed, [])
        // A live server's enum values settle what PGTune can only warn about (lz4, io_uring builds).
        let checked = Set(settings.map(\.name).filter { snapshot?.setting($0)?.enumValues != nil })
        return ConfigAdvice(
            inputs: inputs, connections: connections, connectionsSource: need?.source, settings: settings,
            adjustments: adjustments + refusals, currentBudget: currentBudget,
            recommendedBudget: budget(recommended: recommended, inputs: inputs, connections: connections, snapshot: snapshot),
            pools: pools, warnings: PGTune.warnings(for: inputs).filter { warning in
                // A warning about a value no longer recommended ("io_method = io_uring needs ...") is moot.
                !checked.contains { warning.hasPrefix("\($0) = ") }
                    && !settings.contains { warning.hasPrefix("\($0.name) = ") && !warning.hasPrefix("\($0.name) = \($0.recommended) ") }
            })
    }

    /// One row of the advice: the final value against the server's current one.
    static func settingAdvice(
        _ base: RecommendedSetting, final: (value: String, reason: String), pgtune: String, inputs: TuningInputs, snapshot: Snapshot?
    ) -> SettingAdvice {
        let current = snapshot?.setting(base.name)
        return SettingAdvice(
            name: base.name, current: current.map(displayValue), recommended: final.value,
            restart: current.map { $0.context == "postmaster" }
                ?? SettingContexts.needsRestart(base.name, majorVersion: inputs.majorVersion),
            reason: final.reason,
            changes: current.map { !sameValue($0, final.value) } ?? true,
            pgtune: pgtune)
    }

    /// A setting PGTune does not emit, at the place its fixed order would give it.
    static func insert(_ setting: RecommendedSetting, into baseline: inout [RecommendedSetting]) {
        let later = ["io_method", "io_workers", "min_wal_size", "max_wal_size", "max_worker_processes"]
        let index = baseline.firstIndex { later.contains($0.name) } ?? baseline.endIndex
        baseline.insert(setting, at: index)
    }

    /// The adjustments only a live server allows: its current memory budget, statements spilling
    /// to temporary files, checkpoints requested by WAL volume, connections against the cores.
    static func liveAdjustments(
        _ recommended: inout Recommended, snapshot: Snapshot, inputs: TuningInputs, connections: Int,
        currentBudget: MemoryBudget?, pools: PoolSizing, connectionsFollowServer: Bool
    ) -> [ConfigAdjustment] {
        var adjustments: [ConfigAdjustment] = []
        let recommendedBudget = budget(recommended: recommended, inputs: inputs, connections: connections, snapshot: snapshot)
        if let current = currentBudget, current.overcommits {
            let safe = flooredWorkMem(min(current.safeWorkMemKB, recommendedBudget.safeWorkMemKB), budget: recommendedBudget)
            adjustments.append(ConfigAdjustment(
                kind: .memorySafety, setting: "work_mem", value: MemoryUnits.display(kB: safe),
                detail: "The current settings can claim \(Format.bytes(current.totalKB * 1024)) "
                    + "(\(percent(current.share)) of \(MemoryUnits.display(kB: inputs.ramKB)) RAM): "
                    + budgetItems(current) + ". Under load the OOM killer ends the server; "
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
        if let pool = connectionAdjustment(snapshot, pools: pools, recommendationFollowsServer: connectionsFollowServer) {
            adjustments.append(pool)
        }
        return adjustments
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

    // MARK: Helpers

    static func kB(_ snapshot: Snapshot, _ name: String) -> Int64? {
        snapshot.setting(name).flatMap { MemoryUnits.settingValue($0.value, unit: $0.unit) }
    }

    /// A pg_settings value as PostgreSQL prints it (`128MB`, `0.9`, `on`).
    public static func displayValue(_ setting: Setting) -> String {
        if let kb = MemoryUnits.settingValue(setting.value, unit: setting.unit), ["B", "kB", "8kB", "MB"].contains(setting.unit ?? "") {
            return MemoryUnits.display(kB: kb)
        }
        // -1 means "use another setting" (autovacuum_work_mem, log_temp_files): no unit applies.
        if let unit = setting.unit, !unit.isEmpty, setting.value != "-1" { return setting.value + unit }
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
    /// Where `connections` came from when the live server decided it (nil: given or PGTune's default).
    public var connectionsSource: String?
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
    /// PGTune's value for the same inputs (differs from `recommended` after an adjustment); for a
    /// setting PGTune leaves unset, the server default it keeps (autovacuum_work_mem `-1`).
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
        /// autovacuum_work_mem set so that the workers together stay within a share of RAM.
        case autovacuumMemory = "autovacuum-memory"
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
