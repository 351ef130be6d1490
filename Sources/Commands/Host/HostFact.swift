/// A host fact and where it came from.
///
/// `source` names the file (and the rule) that produced `value`, in words a DBA can check
/// by hand, for example `cgroup v2 memory.max (/sys/fs/cgroup/memory.max)`.
struct HostFact<Value: Sendable & Equatable>: Sendable, Equatable {
    var value: Value
    var source: String
}
