/// The memory and CPUs PostgreSQL may use on this host, as `HostProbe` found them.
struct HostResources: Sendable, Equatable {
    /// Usable memory in bytes (never 0 or negative); nil when nothing usable was found.
    var memoryBytes: HostFact<Int64>?
    /// Usable CPUs (at least 1); nil when nothing usable was found.
    var cpus: HostFact<Int>?
}
