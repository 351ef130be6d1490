import Model

/// The server-wide autovacuum settings the maintenance rules read, with PostgreSQL's default
/// for any setting the snapshot lacks (named in `defaulted`, so evidence can say so).
struct AutovacuumSettings: Sendable {
    var autovacuum: Bool
    var trackCounts: Bool
    var vacuumThreshold: Double
    var vacuumScaleFactor: Double
    /// `autovacuum_vacuum_max_threshold` (PostgreSQL 18+); nil when -1 (no cap).
    var vacuumMaxThreshold: Double?
    /// Whether the server caps the vacuum trigger at all (PostgreSQL 18+).
    var capsVacuumTrigger: Bool
    /// `autovacuum_vacuum_insert_threshold` (PostgreSQL 13+); nil before 13 or when -1 (off).
    var insertThreshold: Double?
    var insertScaleFactor: Double
    var analyzeThreshold: Double
    var analyzeScaleFactor: Double
    var freezeMaxAge: Double
    var multixactFreezeMaxAge: Double
    /// Settings missing from the snapshot, for which PostgreSQL's default was assumed.
    var defaulted: [String]

    init(_ snapshot: Snapshot) {
        var defaulted: [String] = []
        func number(_ name: String, _ fallback: Double) -> Double {
            if let value = snapshot.setting(name)?.number { return value }
            defaulted.append(name)
            return fallback
        }
        func flag(_ name: String) -> Bool {
            if let value = snapshot.setting(name)?.boolValue { return value }
            defaulted.append(name)
            return true
        }
        autovacuum = flag("autovacuum")
        trackCounts = flag("track_counts")
        vacuumThreshold = number("autovacuum_vacuum_threshold", 50)
        vacuumScaleFactor = number("autovacuum_vacuum_scale_factor", 0.2)
        analyzeThreshold = number("autovacuum_analyze_threshold", 50)
        analyzeScaleFactor = number("autovacuum_analyze_scale_factor", 0.1)
        freezeMaxAge = number("autovacuum_freeze_max_age", 200_000_000)
        multixactFreezeMaxAge = number("autovacuum_multixact_freeze_max_age", 400_000_000)
        let version = snapshot.server.versionNumber
        if version >= 130_000 {
            let threshold = number("autovacuum_vacuum_insert_threshold", 1000)
            insertThreshold = threshold >= 0 ? threshold : nil
            insertScaleFactor = number("autovacuum_vacuum_insert_scale_factor", 0.2)
        } else {
            insertThreshold = nil
            insertScaleFactor = 0.2
        }
        capsVacuumTrigger = version >= 180_000
        if capsVacuumTrigger {
            let cap = number("autovacuum_vacuum_max_threshold", 100_000_000)
            vacuumMaxThreshold = cap >= 0 ? cap : nil
        } else {
            vacuumMaxThreshold = nil
        }
        self.defaulted = defaulted
    }

    /// Evidence naming the settings taken at their PostgreSQL default, when any were missing.
    var defaultedEvidence: [Evidence] {
        defaulted.isEmpty ? [] : [Evidence("settingsAssumedDefault", "settings missing, PostgreSQL default assumed", .list(defaulted))]
    }

    /// Dead tuples above which autovacuum vacuums the table.
    func vacuumTrigger(_ table: TableInfo) -> AutovacuumTrigger {
        var trigger = AutovacuumTrigger(
            table, threshold: ("autovacuum_vacuum_threshold", vacuumThreshold),
            scaleFactor: ("autovacuum_vacuum_scale_factor", vacuumScaleFactor))
        if capsVacuumTrigger {
            let cap = table.option("autovacuum_vacuum_max_threshold").flatMap(Double.init) ?? vacuumMaxThreshold
            if let cap, cap >= 0 { trigger.cap = cap }
        }
        return trigger
    }

    /// Rows inserted since the last vacuum above which autovacuum vacuums the table
    /// (PostgreSQL 13+); nil when the insert trigger is off or unknown.
    func insertTrigger(_ table: TableInfo) -> AutovacuumTrigger? {
        let threshold = table.option("autovacuum_vacuum_insert_threshold").flatMap(Double.init) ?? insertThreshold
        guard let threshold, threshold >= 0, table.activity?.insertedSinceVacuum != nil else { return nil }
        return AutovacuumTrigger(
            table, threshold: ("autovacuum_vacuum_insert_threshold", threshold),
            scaleFactor: ("autovacuum_vacuum_insert_scale_factor", insertScaleFactor))
    }

    /// Rows modified since the last analyze above which autovacuum analyzes the table.
    func analyzeTrigger(_ table: TableInfo) -> AutovacuumTrigger {
        AutovacuumTrigger(
            table, threshold: ("autovacuum_analyze_threshold", analyzeThreshold),
            scaleFactor: ("autovacuum_analyze_scale_factor", analyzeScaleFactor))
    }

    /// `autovacuum_freeze_max_age` for the table: a per-table value only ever lowers it.
    func freezeMaxAge(_ table: TableInfo) -> Double {
        table.option("autovacuum_freeze_max_age").flatMap(Double.init).map { min($0, freezeMaxAge) } ?? freezeMaxAge
    }

    func multixactFreezeMaxAge(_ table: TableInfo) -> Double {
        table.option("autovacuum_multixact_freeze_max_age").flatMap(Double.init).map { min($0, multixactFreezeMaxAge) }
            ?? multixactFreezeMaxAge
    }
}

/// One autovacuum trigger of one table: `threshold + scale factor × reltuples` (capped by
/// `autovacuum_vacuum_max_threshold` on PostgreSQL 18), with per-table storage parameters
/// overriding the server's settings as autovacuum itself does.
struct AutovacuumTrigger: Equatable, Sendable {
    var threshold: Double
    var scaleFactor: Double
    /// `reltuples`, taken as 0 when never vacuumed or analyzed (-1), as autovacuum does.
    var rows: Double
    var cap: Double?
    /// Which of the two came from the table's storage parameters.
    var tableOptions: [String]

    init(_ table: TableInfo, threshold: (String, Double), scaleFactor: (String, Double)) {
        var tableOptions: [String] = []
        if let own = table.option(threshold.0).flatMap(Double.init) {
            self.threshold = own
            tableOptions.append(threshold.0)
        } else {
            self.threshold = threshold.1
        }
        if let own = table.option(scaleFactor.0).flatMap(Double.init) {
            self.scaleFactor = own
            tableOptions.append(scaleFactor.0)
        } else {
            self.scaleFactor = scaleFactor.1
        }
        rows = max(0, table.estimatedRows)
        self.tableOptions = tableOptions
    }

    var value: Double {
        let raw = threshold + scaleFactor * rows
        return cap.map { min(raw, $0) } ?? raw
    }

    /// `50 + 0.2 × 60,000 rows = 12,050` (and where the numbers came from).
    var formula: String {
        var text = "\(ParameterValue.number(threshold)) + \(ParameterValue.number(scaleFactor)) × \(Format.rows(rows)) rows"
        if let cap, threshold + scaleFactor * rows > cap { text += ", capped at \(Format.count(Int64(cap)))" }
        text += " = \(Format.count(Int64(value.rounded(.down))))"
        if !tableOptions.isEmpty { text += " (table storage parameters: \(tableOptions.joined(separator: ", ")))" }
        return text
    }

    /// true when `count` is past the trigger (autovacuum compares strictly).
    func isExceeded(by count: Int64) -> Bool { Double(count) > value }
}
