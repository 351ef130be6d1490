import Model

/// max_connections from what the live server needs and what its cores serve.
extension ConfigAdvisor {
    /// The connections to plan for on a live server when none were given: the pool table's
    /// max_connections for the tier of the client connections open now, and at least those
    /// connections plus the headroom. nil without CPUs (no pool table) or session counts.
    static func observedNeed(
        _ inputs: TuningInputs, _ snapshot: Snapshot, pools: PoolSizing
    ) -> (connections: Int, reason: String, detail: String, source: String)? {
        guard inputs.connections == nil, inputs.cpus != nil, snapshot.source("sessions")?.isUsable == true,
              let tier = pools.tiers.first(where: \.observed) else { return nil }
        let open = clientConnections(snapshot)
        let value = max(tier.maxConnections, open + pools.headroom)
        let serves = tier.needsPooler
            ? "behind PgBouncer the server needs the \(pools.ceiling) connections \(pools.cores) cores serve at once"
            : "the application pools open \(tier.total)"
        let reason = "\(open) client connection\(open == 1 ? " is" : "s are") open: the \(tier.load.rawValue) tier of the "
            + "pool table, where \(serves), + \(pools.headroom) headroom"
            + (value > tier.maxConnections ? "; at least the open connections + headroom" : "")
        let current = snapshot.number("max_connections").map { "max_connections is \(Int($0)) and " } ?? ""
        let pgtuneDefault = PGTune.defaultConnections(inputs.workload)
        let detail = "PGTune's calculator default for \(inputs.workload.rawValue) is \(pgtuneDefault) connections, "
            + "chosen without a server; here \(current)\(reason): max_connections \(value), and every formula "
            + "(work_mem, the memory budget) uses \(value). If \(open) is not the usual peak, give --connections."
        let source = "server: \(open) open, \(tier.load.rawValue) tier of the pool table"
        return (value, reason, detail, source)
    }

    /// A pooler when many more connections are open than the cores serve; with given
    /// connections, max_connections far above what the cores serve.
    static func connectionAdjustment(
        _ snapshot: Snapshot, pools: PoolSizing, recommendationFollowsServer: Bool
    ) -> ConfigAdjustment? {
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
        if !recommendationFollowsServer && max > pools.ceiling * 4 && open * 4 < max {
            return ConfigAdjustment(
                kind: .connections, setting: "max_connections", value: nil,
                detail: "max_connections is \(max), more than four times \(capacity), while \(open) client connections "
                    + "are open now (\(active) active). Every slot reserves shared memory even when unused: if this "
                    + "is the usual peak, lower max_connections to the pool table's value, and put a pooler in front "
                    + "before the application needs more.")
        }
        return nil
    }

    static func clientConnections(_ snapshot: Snapshot) -> Int {
        snapshot.sessions.filter(SessionKind.countsAsClient).count
    }
}
