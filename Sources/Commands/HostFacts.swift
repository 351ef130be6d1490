import Core
import Model

/// The machine's facts for the rules that judge settings against it, checked: from the
/// command line, the configuration file's `[host]`, or a fleet target's own entries.
struct HostFacts: Equatable, Sendable {
    var ramBytes: Int64?
    var cpus: Int?
    var storage: StorageKind?
    var workload: Workload?

    /// These facts, each replaced by `other`'s where `other` has one (flags over a target's
    /// entries over `[host]`).
    func overridden(by other: HostFacts) -> HostFacts {
        HostFacts(ramBytes: other.ramBytes ?? ramBytes, cpus: other.cpus ?? cpus,
                  storage: other.storage ?? storage, workload: other.workload ?? workload)
    }

    /// The rules' inputs, completed from the snapshot (version, data size); nil without RAM.
    func tuningInputs(for snapshot: Snapshot) -> TuningInputs? {
        guard let ramBytes else { return nil }
        let dataSize = snapshot.database?.sizeBytes.map { DataSize.classify(dataBytes: $0, ramBytes: ramBytes) } ?? .midRAM
        return TuningInputs(
            ramBytes: ramBytes, cpus: cpus, storage: storage ?? .ssd, workload: workload ?? .web,
            majorVersion: min(18, max(10, snapshot.server.majorVersion)), dataSize: dataSize)
    }

    /// CPUs, storage or workload without the RAM they go with.
    func checkComplete() throws {
        if ramBytes == nil && (cpus != nil || storage != nil || workload != nil) {
            throw CLIError("--cpus, --storage and --workload describe the machine together with --ram: "
                + "add --ram (or ram under [host] in the configuration file)", exitCode: ExitStatus.usage)
        }
    }
}
