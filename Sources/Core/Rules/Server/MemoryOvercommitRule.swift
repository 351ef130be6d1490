import Model

/// Settings that together can claim more memory than the machine has.
public enum MemoryOvercommitRule: Rule {
    public static let description = RuleDescription(
        id: "memory-overcommit",
        title: "Memory overcommit",
        category: .server,
        severity: .critical,
        requirements: [.source("settings"), .hostFacts],
        summary: "shared_buffers + (max_connections + parallel workers) × 1.5 × work_mem + autovacuum workers × their memory against the machine's RAM.",
        rationale: """
            work_mem is per sort or hash operation, not per server: a query may run several (hash nodes \
            at hash_mem_multiplier × work_mem, 2 since PostgreSQL 15), every connection and parallel \
            worker may run one, and each autovacuum worker takes autovacuum_work_mem (or \
            maintenance_work_mem). The budget counts 1.5 × work_mem per connection and parallel worker at \
            peak (postgresqltuner's memory model uses the same 150 %; PGTune's own work_mem keeps this \
            budget near 80 % of RAM). When the sum passes 90 % of RAM nothing is left for the operating \
            system and its page cache, and under load the OOM killer ends the server. The finding \
            itemises the budget and proposes the largest work_mem that fits; it is critical above 100 % \
            of RAM.
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-resource.html#GUC-WORK-MEM",
        examples: [
            RuleExample("work_mem 256MB with 100 connections on 24 GB", .triggers([.setting("work_mem")]), host: Example.machine,
                        snapshot: Example.snapshot(settings: [Example.setting("work_mem", "262144", unit: "kB", context: "user")])),
            RuleExample("server defaults on 24 GB", .passes, host: Example.machine, snapshot: Example.snapshot()),
            RuleExample("machine facts not given", .skipped("needs the machine's memory"), snapshot: Example.snapshot()),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        guard let host = context.host else { throw RuleSkip("the machine's memory is unknown") }
        guard let budget = ConfigAdvisor.budget(from: context.snapshot, ramKB: host.ramKB) else {
            throw RuleSkip("shared_buffers, work_mem or max_connections is not in the snapshot's settings")
        }
        guard budget.overcommits else { return [] }
        let safe = MemoryUnits.display(kB: budget.safeWorkMemKB)
        let workMemContext = context.snapshot.setting("work_mem")?.context ?? "user"
        return [Finding(
            rule: description.id, severity: budget.share > 1 ? .critical : .warning, target: .setting("work_mem"),
            message: "the settings can claim \(Format.bytes(budget.totalKB * 1024)), \(Format.percent(budget.share, digits: 0)) "
                + "of \(MemoryUnits.display(kB: budget.ramKB)) RAM: under load the OOM killer ends the server. "
                + "work_mem \(safe) keeps the budget within 90 %.",
            evidence: [
                Evidence("budgetBytes", "budget", .bytes(budget.totalKB * 1024)),
                Evidence("ramBytes", "RAM", .bytes(budget.ramKB * 1024)),
                Evidence("shareOfRam", "share of RAM", .ratio(budget.share)),
                Evidence("sharedBuffersBytes", "shared_buffers", .bytes(budget.sharedBuffersKB * 1024)),
                Evidence("connections", "max_connections", .count(Int64(budget.connections))),
                Evidence("parallelWorkers", "parallel workers", .count(Int64(budget.parallelWorkers))),
                Evidence("workMemBytes", "work_mem", .bytes(budget.workMemKB * 1024)),
                Evidence("workMemPerConnection", "work_mem per connection", .number(MemoryBudget.workMemPerConnection)),
                Evidence("queryMemoryBytes", "query memory", .bytes(budget.queryMemoryKB * 1024)),
                Evidence("autovacuumBytes", "autovacuum memory", .bytes(budget.autovacuumTotalKB * 1024)),
                Evidence("safeWorkMemBytes", "safe work_mem", .bytes(budget.safeWorkMemKB * 1024)),
            ],
            remediations: [
                .alterSystem(name: "work_mem", value: safe, restart: workMemContext == "postmaster"),
                .manual("if some statements need more, raise work_mem only for their role (ALTER ROLE ... SET work_mem) "
                    + "or transaction (SET LOCAL work_mem), or lower max_connections behind a pooler"),
            ],
            impact: Impact(score: min(1, budget.share - MemoryBudget.maximumShare + 0.5),
                           summary: "\(Format.percent(budget.share, digits: 0)) of RAM claimable"))]
    }
}
