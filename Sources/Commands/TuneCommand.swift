import ArgumentParser
import Connector
import Core
import Foundation
import Model

/// `pgadvisor tune`: memory and server settings for the machine, PGTune's baseline checked
/// against what the server does, and connection pool sizing.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Recommend server settings for the machine (PGTune's baseline, checked against the live server) and size connection pools.",
        discussion: """
            With a connection (a conninfo, a URI or the PG* variables) the server's version and \
            current settings come from the server, and the recommendations are checked against \
            what it does: memory overcommit, statements spilling to temporary files, checkpoints \
            requested by WAL volume, the connections it needs against what the cores can serve. \
            With --pg-version and no connection string it is a pure calculator. With neither, and \
            no PGHOST, PGHOSTADDR, PGPORT, PGSERVICE or PGDATABASE, it tries the local server and, \
            when none answers, calculates for this machine and the newest supported version; a \
            connection asked for explicitly that fails is an error.

            RAM and CPUs: --ram and --cpus, or, when pgadvisor runs on the database host (no \
            connection, a Unix socket or a loopback address), read from the host, honouring \
            cgroup v1 and v2 limits (containers). The report says where each number came from.

            The baseline reproduces PGTune's current formulas for the same inputs (workload, \
            storage, connections, data size, version, OS), so it can be checked against the \
            calculator DBAs know. Settings are printed with the current value, the \
            recommendation, whether applying needs a restart or a reload, and the reason; the \
            script at the end is ALTER SYSTEM statements for what differs.

            Examples:
              pgadvisor tune --ram 32GB --cpus 8 --workload oltp --pg-version 17
              pgadvisor tune 'host=/var/run/postgresql dbname=app'
              pgadvisor tune postgresql://audit@db1/app --ram 64GB --cpus 16 --format json
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup
    @OptionGroup var host: HostOptionGroup

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("max_connections to plan for (default: PGTune's for the workload).", valueName: "n"))
    var connections: Int?

    @Option(name: .customLong("pg-version"), help: ArgumentHelp(
        "PostgreSQL major version (10 to 18) for a calculation without a server; with a connection the server's is used.",
        valueName: "n"))
    var pgVersion: Int?

    @Option(name: .long, help: "Operating system: linux, windows or mac (default linux).")
    var os: OperatingSystem?

    @Option(name: .customLong("data-size"), help: ArgumentHelp(
        "Total data against RAM: less-ram, mid-ram (1 to 3 times RAM) or greater-ram (default: from the database size with a connection, else mid-ram).",
        valueName: "class"))
    var dataSize: DataSize?

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    @Option(name: .long, help: ArgumentHelp(
        "Check the settings of this snapshot file (from 'pgadvisor snapshot') instead of connecting; needs --ram.",
        valueName: "file"))
    var from: String?

    func validate() throws {
        if from != nil && connection.conninfo != nil {
            throw ValidationError("give either a connection string or --from FILE, not both")
        }
        if from != nil && host.ram == nil {
            throw ValidationError("--from needs --ram: a snapshot does not say how much memory its machine has")
        }
        if let pgVersion, !(10...18).contains(pgVersion) {
            throw ValidationError("--pg-version must be a major version from 10 to 18, not \(pgVersion)")
        }
        if let connections, !(1...100_000).contains(connections) {
            throw ValidationError("--connections must be from 1 to 100000, not \(connections)")
        }
    }

    /// The PG* variables that name a server to connect to; PGUSER, PGPASSWORD and the like only
    /// say how to log in wherever the connection goes.
    static let serverVariables = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGSERVICE", "PGDATABASE"]

    /// Whether the user asked for a connection: a connection string, or a PG* variable naming a
    /// server. Without one, `tune` tries the local server and falls back to the host calculator;
    /// with one, failing to connect is an error.
    static func connectionAsked(_ connection: ConnectionOptionGroup, _ environment: [String: String]) -> Bool {
        connection.conninfo != nil || serverVariables.contains { !(environment[$0] ?? "").isEmpty }
    }

    func run() throws {
        let format = try output.resolve(command: "tune", supported: [.text, .markdown, .json])
        let ram = try host.ramBytes()
        let cpus = try host.validatedCPUs()
        var snapshot: Snapshot?
        var local = true
        var unreachable: String?
        if let from {
            snapshot = try SnapshotFile.read(from)
            local = false
        } else if connection.conninfo != nil || pgVersion == nil {
            do {
                let db = try connection.connect()
                defer { db.close() }
                local = db.isLocal
                snapshot = try Collector(connection: db).collect(generator: "pgadvisor \(PGAdvisor.version)")
            } catch let error as ConnectorError where error.kind == .connection && !Self.connectionAsked(connection, ProcessInfo.processInfo.environment) {
                // Nothing named a server and none answers on this machine: the host calculator.
                unreachable = error.message
            }
        }
        var resolved = try TuneInputs.resolve(
            ram: ram, cpus: cpus, storage: host.storage, workload: host.workload, connections: connections,
            pgVersion: pgVersion, os: os, dataSize: dataSize, snapshot: snapshot, onDatabaseHost: local,
            probe: { HostProbe(root: URL(fileURLWithPath: "/"), processorCount: ProcessInfo.processInfo.activeProcessorCount).probe() })
        if let unreachable {
            resolved.sources["version"] = "newest supported: no server answered on this machine (\(unreachable))"
        }
        if snapshot != nil && pgVersion != nil && pgVersion != snapshot?.server.majorVersion {
            resolved.notes.append("--pg-version \(pgVersion!) ignored: the server is PostgreSQL \(snapshot!.server.majorVersion)")
        }
        let advice = ConfigAdvisor.advise(resolved.inputs, snapshot: snapshot)
        try output.emit(try TuneRenderer.render(advice, sources: resolved, snapshot: snapshot, as: format))
    }
}

/// The tuning inputs with where each came from.
struct TuneInputs {
    var inputs: TuningInputs
    /// Input name (`ram`, `cpus`, ...) to its source (`--ram`, `cgroup v2 memory.max ...`, `default`).
    var sources: [String: String]
    var notes: [String] = []

    static func resolve(
        ram: Int64?, cpus: Int?, storage: StorageKind?, workload: Workload?, connections: Int?, pgVersion: Int?,
        os: OperatingSystem?, dataSize: DataSize?, snapshot: Snapshot?, onDatabaseHost: Bool,
        probe: () -> HostResources
    ) throws -> TuneInputs {
        var sources: [String: String] = [:]
        var notes: [String] = []
        let probed = (ram == nil || cpus == nil) && onDatabaseHost ? probe() : nil
        let ramBytes: Int64
        if let ram {
            ramBytes = ram
            sources["ram"] = "--ram"
        } else if let fact = probed?.memoryBytes {
            try HostOptionGroup.checkRAM(fact.value, text: MemoryUnits.display(kB: fact.value / 1024))
            ramBytes = fact.value
            sources["ram"] = fact.source
        } else if !onDatabaseHost {
            throw CLIError("the server is not on this machine, so its memory cannot be read: pass --ram (and --cpus)",
                           exitCode: ExitStatus.usage)
        } else {
            throw CLIError("could not read this machine's memory: pass --ram", exitCode: ExitStatus.usage)
        }
        var cpuCount = cpus
        if cpus != nil {
            sources["cpus"] = "--cpus"
        } else if let fact = probed?.cpus {
            cpuCount = fact.value
            sources["cpus"] = fact.source
        } else {
            sources["cpus"] = "unknown (pass --cpus): no parallel settings"
        }
        sources["storage"] = storage == nil ? "default" : "--storage"
        sources["workload"] = workload == nil ? "default" : "--workload"
        let chosenWorkload = workload ?? .web
        sources["connections"] = connections == nil ? "PGTune's default for \(chosenWorkload.rawValue)" : "--connections"
        let version: Int
        if let snapshot {
            version = snapshot.server.majorVersion
            sources["version"] = "server (\(snapshot.server.version))"
        } else {
            version = pgVersion ?? 18
            sources["version"] = pgVersion == nil ? "default" : "--pg-version"
        }
        sources["os"] = os == nil ? "default" : "--os"
        var size = dataSize ?? .midRAM
        if dataSize != nil {
            sources["dataSize"] = "--data-size"
        } else if let bytes = snapshot?.database?.sizeBytes {
            size = DataSize.classify(dataBytes: bytes, ramBytes: ramBytes)
            sources["dataSize"] = "database size \(Format.bytes(bytes)) (pg_database_size)"
        } else {
            sources["dataSize"] = "default (PGTune's)"
        }
        if version < 10 || version > 18 {
            notes.append("PGTune's formulas cover PostgreSQL 10 to 18; the server is \(version): the nearest version's rules apply")
        }
        let inputs = TuningInputs(
            ramBytes: ramBytes, cpus: cpuCount, storage: storage ?? .ssd, workload: chosenWorkload,
            connections: connections, majorVersion: min(18, max(10, version)), os: os ?? .linux, dataSize: size)
        return TuneInputs(inputs: inputs, sources: sources, notes: notes)
    }
}
