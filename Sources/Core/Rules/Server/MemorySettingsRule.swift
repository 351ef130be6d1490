import Model

/// Memory settings far from the baseline for the machine (PGTune's formulas).
public enum MemorySettingsRule: Rule {
    public static let description = RuleDescription(
        id: "memory-settings",
        title: "Memory settings far from the machine's baseline",
        category: .server,
        severity: .warning,
        requirements: [.source("settings"), .hostFacts],
        summary: "shared_buffers, effective_cache_size, maintenance_work_mem and work_mem compared with the baseline PGTune computes for the machine's RAM, CPUs, storage and workload.",
        rationale: """
            The server's defaults (shared_buffers 128MB, effective_cache_size 4GB, work_mem 4MB) fit a \
            laptop; on a dedicated server they leave most of the RAM to chance and mislead the planner. \
            The rule computes the baseline DBAs know from PGTune for the RAM, CPUs, storage and workload \
            given to the audit (`--ram`, `--cpus`, `--storage`, `--workload`) — the values 'pgadvisor \
            tune' recommends for the same inputs: with CPUs given, for the connections the server needs \
            (the pool table's tier of those open), and fitted to the memory budget — and reports a setting when it \
            is below `low-ratio` of that baseline, or — except work_mem, whose upper bound is the \
            memory-overcommit rule's business — above `high-ratio` of it. shared_buffers is a warning \
            (it needs a restart and decides how much the server caches itself); the others are info. \
            'pgadvisor tune' prints the whole configuration with the reasons.
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-resource.html",
        parameters: [
            RuleParameter("low-ratio", .ratio(0.5), "Report a setting below this share of the baseline."),
            RuleParameter("high-ratio", .ratio(2), "Report a setting above this multiple of the baseline (not work_mem)."),
        ],
        examples: [
            RuleExample("server defaults on a 24 GB, 2 CPU machine", .triggers([
                .setting("shared_buffers"), .setting("maintenance_work_mem"), .setting("effective_cache_size"),
                .setting("work_mem"),
            ]), host: Example.machine, snapshot: Example.snapshot(settings: [
                Example.setting("effective_cache_size", "524288", unit: "8kB", context: "user"),
            ])),
            RuleExample("settings sized for the machine", .passes, host: Example.machine, snapshot: Example.snapshot(settings: [
                Example.setting("shared_buffers", "786432", unit: "8kB", context: "postmaster"),
                Example.setting("effective_cache_size", "2359296", unit: "8kB", context: "user"),
                Example.setting("maintenance_work_mem", "1572864", unit: "kB", context: "user"),
                Example.setting("work_mem", "262144", unit: "kB", context: "user"),
            ])),
            RuleExample("machine facts not given", .skipped("needs the machine's memory"), snapshot: Example.snapshot()),
        ]
    )

    static let checked = ["shared_buffers", "effective_cache_size", "maintenance_work_mem", "work_mem"]

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        guard var inputs = context.host else { throw RuleSkip("the machine's memory is unknown") }
        inputs.majorVersion = context.snapshot.server.majorVersion
        let low = context.parameters.ratio("low-ratio")
        let high = context.parameters.ratio("high-ratio")
        let ram = MemoryUnits.display(kB: inputs.ramKB)
        // The values 'pgadvisor tune' recommends for the same inputs, computed by the same function.
        let advice = ConfigAdvisor.advise(inputs, snapshot: context.snapshot)
        return advice.settings.compactMap { setting -> Finding? in
            guard checked.contains(setting.name), let row = context.snapshot.setting(setting.name),
                  let currentKB = MemoryUnits.settingValue(row.value, unit: row.unit),
                  let baselineKB = MemoryUnits.parse(setting.recommended), baselineKB > 0 else { return nil }
            let ratio = Double(currentKB) / Double(baselineKB)
            let tooHigh = setting.name != "work_mem" && ratio > high
            guard ratio < low || tooHigh else { return nil }
            let current = MemoryUnits.display(kB: currentKB)
            return Finding(
                rule: description.id, severity: setting.name == "shared_buffers" ? .warning : .info,
                target: .setting(setting.name),
                message: "\(setting.name) is \(current), \(Format.percent(ratio, digits: 0)) of the baseline "
                    + "\(setting.recommended) for this machine (\(ram) RAM): \(setting.reason).",
                evidence: [
                    Evidence("currentKB", "current", .bytes(currentKB * 1024)),
                    Evidence("baselineKB", "baseline", .bytes(baselineKB * 1024)),
                    Evidence("ratioToBaseline", "of the baseline", .ratio(ratio)),
                    Evidence("ramBytes", "RAM", .bytes(inputs.ramBytes)),
                    Evidence("context", "applies after", .text(row.context == "postmaster" ? "restart" : "reload")),
                ],
                remediations: [.alterSystem(name: setting.name, value: setting.recommended, restart: row.context == "postmaster")],
                impact: Impact(score: min(1, abs(1 - ratio)) * (setting.name == "shared_buffers" ? 0.05 : 0.01),
                               summary: tooHigh ? "\(current) set, \(setting.recommended) suggested" : "\(setting.recommended) suggested, \(current) set"),
                notes: ["Baseline from PGTune's formulas for \(inputs.workload.rawValue) workload, \(inputs.storage.rawValue) storage"
                    + (inputs.cpus.map { ", \($0) CPUs" } ?? "") + ", \(advice.connections) connections, fitted to the memory "
                    + "budget: the value 'pgadvisor tune' recommends, which shows every setting with its reason."])
        }
    }
}
