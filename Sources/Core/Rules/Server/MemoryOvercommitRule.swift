import Model

/// Settings that together can claim more memory than the machine has.
public enum MemoryOvercommitRule: Rule {
    public static let description = RuleDescription(
        id: "memory-overcommit",
        title: "Memory overcommit",
        category: .server,
        severity: .critical,
        requirements: [.source("settings"), .hostFacts],
        summary: "shared_buffers + (busy connections + parallel workers) × 1.5 × work_mem + the memory autovacuum workers allocate, against the machine's RAM.",
        rationale: """
            work_mem is per sort or hash operation, not per server: a query may run several (hash nodes \
            at hash_mem_multiplier × work_mem, 2 since PostgreSQL 15), and every busy connection and \
            parallel worker may run one. The budget counts 1.5 × work_mem (postgresqltuner's 150 %) per \
            parallel worker and per busy connection: half of max_connections for web, OLTP and mixed \
            workloads (mostly index lookups), all of them for a data warehouse or desktop. Autovacuum \
            workers count what the server allocates: each remembers its table's dead tuples, up to \
            autovacuum_work_mem (or maintenance_work_mem), at most 1 GB up to PostgreSQL 16 and never \
            more than the table can hold. When the sum passes 90 % of RAM nothing is left for the \
            operating system and its page cache, and under load the OOM killer ends the server. The \
            finding itemises the budget and proposes the work_mem 'pgadvisor tune' recommends for the \
            same machine; it is critical above 100 % of RAM.
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
        guard let budget = ConfigAdvisor.budget(from: context.snapshot, inputs: host) else {
            throw RuleSkip("shared_buffers, work_mem or max_connections is not in the snapshot's settings")
        }
        guard budget.overcommits else { return [] }
        // The same computation as 'pgadvisor tune', so the audit and tune propose the same value.
        let advice = ConfigAdvisor.advise(host, snapshot: context.snapshot)
        let safe = advice.settings.first { $0.name == "work_mem" }?.recommended ?? MemoryUnits.display(kB: budget.safeWorkMemKB)
        let workMemContext = context.snapshot.setting("work_mem")?.context ?? "user"
        return [Finding(
            rule: description.id, severity: budget.share > 1 ? .critical : .warning, target: .setting("work_mem"),
            message: "the settings can claim \(Format.bytes(budget.totalKB * 1024)), \(Format.percent(budget.share, digits: 0)) "
                + "of \(MemoryUnits.display(kB: budget.ramKB)) RAM: under load the OOM killer ends the server. "
                + "work_mem \(safe) keeps the budget within 90 % ('pgadvisor tune' recommends it for this machine).",
            evidence: [
                Evidence("budgetBytes", "budget", .bytes(budget.totalKB * 1024)),
                Evidence("ramBytes", "RAM", .bytes(budget.ramKB * 1024)),
                Evidence("shareOfRam", "share of RAM", .ratio(budget.share)),
                Evidence("sharedBuffersBytes", "shared_buffers", .bytes(budget.sharedBuffersKB * 1024)),
                Evidence("connections", "max_connections", .count(Int64(budget.connections))),
                Evidence("busyConnections", "busy connections", .count(Int64(budget.busyConnections))),
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
