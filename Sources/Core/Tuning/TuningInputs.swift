/// What the configuration advisor knows about the machine and the workload.
public struct TuningInputs: Sendable, Equatable {
    /// Memory PostgreSQL may use, in bytes (PGTune's "total memory").
    public var ramBytes: Int64
    /// CPU threads; nil when not known (PGTune then emits no parallel settings).
    public var cpus: Int?
    public var storage: StorageKind
    public var workload: Workload
    /// max_connections to plan for; nil takes the workload's default.
    public var connections: Int?
    /// The PostgreSQL major version (10 ... 18).
    public var majorVersion: Int
    public var os: OperatingSystem
    public var dataSize: DataSize

    public init(
        ramBytes: Int64, cpus: Int? = nil, storage: StorageKind = .ssd, workload: Workload = .web,
        connections: Int? = nil, majorVersion: Int = 18, os: OperatingSystem = .linux,
        dataSize: DataSize = .midRAM
    ) {
        self.ramBytes = ramBytes
        self.cpus = cpus
        self.storage = storage
        self.workload = workload
        self.connections = connections
        self.majorVersion = majorVersion
        self.os = os
        self.dataSize = dataSize
    }

    /// RAM in kB (PostgreSQL's memory unit, 1 kB = 1024 bytes).
    public var ramKB: Int64 { ramBytes / 1024 }
}

/// PGTune's "DB type".
public enum Workload: String, Sendable, CaseIterable {
    case web, oltp, dw, mixed, desktop
}

public enum StorageKind: String, Sendable, CaseIterable {
    case ssd, nvme, hdd, san
}

public enum OperatingSystem: String, Sendable, CaseIterable {
    case linux, windows, mac
}

/// PGTune's data-size input: the total data compared with RAM.
public enum DataSize: String, Sendable, CaseIterable {
    /// Less than RAM (`less_ram`).
    case lessRAM = "less-ram"
    /// One to three times RAM (`mid_ram`, PGTune's default).
    case midRAM = "mid-ram"
    /// More than three times RAM (`greater_ram`).
    case greaterRAM = "greater-ram"

    /// The data size class of `dataBytes` against `ramBytes`.
    public static func classify(dataBytes: Int64, ramBytes: Int64) -> DataSize {
        if dataBytes < ramBytes { return .lessRAM }
        if dataBytes <= ramBytes * 3 { return .midRAM }
        return .greaterRAM
    }
}

/// One setting a calculator recommends.
public struct RecommendedSetting: Sendable, Equatable {
    public var name: String
    /// In PostgreSQL's own syntax: `6GB`, `16MB`, `0.9`, `try`, `lz4`.
    public var value: String
    /// Why this value: the formula with its inputs, in one sentence.
    public var reason: String

    public init(name: String, value: String, reason: String) {
        self.name = name
        self.value = value
        self.reason = reason
    }
}
