import ArgumentParser
import Core
import Foundation

/// The machine and workload facts `tune` and `audit` take.
struct HostOptionGroup: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Memory PostgreSQL may use, e.g. 16GB or 512MB (default on the database host: read from the host, honouring container limits).",
        valueName: "size"))
    var ram: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("CPU threads PostgreSQL may use (default on the database host: read from the host).", valueName: "n"))
    var cpus: Int?

    @Option(name: .long, help: "Storage: ssd, nvme, hdd or san (default ssd).")
    var storage: StorageKind?

    @Option(name: .long, help: "Workload: web, oltp, dw, mixed or desktop (default web).")
    var workload: Workload?

    /// The validated RAM in bytes, nil when not given.
    func ramBytes() throws -> Int64? {
        guard let ram else { return nil }
        if let number = Double(ram.trimmingCharacters(in: .whitespaces)), number <= 0 {
            throw CLIError("--ram must be more than 0, not '\(ram)'", exitCode: ExitStatus.usage)
        }
        guard let bytes = MemoryUnits.bytes(ram) else {
            throw CLIError("--ram takes a size with a unit such as 16GB, 512MB or 1TB, not '\(ram)'", exitCode: ExitStatus.usage)
        }
        try Self.checkRAM(bytes, text: ram)
        return bytes
    }

    static func checkRAM(_ bytes: Int64, text: String) throws {
        guard bytes > 0 else { throw CLIError("--ram must be more than 0, not '\(text)'", exitCode: ExitStatus.usage) }
        guard bytes >= minimumRAM else {
            throw CLIError("--ram \(text) is below the \(MemoryUnits.display(kB: minimumRAM / 1024)) PostgreSQL needs to run "
                + "with a useful configuration: give the memory PostgreSQL may use", exitCode: ExitStatus.usage)
        }
    }

    /// PGTune's own lower bound for its memory input.
    static let minimumRAM: Int64 = 256 << 20

    /// The facts given on the command line, checked.
    func facts() throws -> HostFacts {
        HostFacts(ramBytes: try ramBytes(), cpus: try validatedCPUs(), storage: storage, workload: workload)
    }

    func validatedCPUs() throws -> Int? {
        guard let cpus else { return nil }
        guard (1...100_000).contains(cpus) else {
            throw CLIError("--cpus must be a whole number from 1 to 100000, not \(cpus)", exitCode: ExitStatus.usage)
        }
        return cpus
    }
}

extension StorageKind: ExpressibleByArgument {}
extension Workload: ExpressibleByArgument {}
extension OperatingSystem: ExpressibleByArgument {}
extension DataSize: ExpressibleByArgument {}
