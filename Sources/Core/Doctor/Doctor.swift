import Model
import Planner

/// Checks what pgadvisor can see on a server and says what to do about each missing piece.
public enum Doctor {
    /// Oldest and newest major versions pgadvisor's catalog queries are written for.
    public static let supportedMajorVersions = 13...18

    public static func checks(for snapshot: Snapshot) -> [DoctorCheck] {
        [
            serverVersion(snapshot),
            privileges(snapshot),
            statements(snapshot),
            ioTiming(snapshot),
            hypopg(snapshot),
            pgstattuple(snapshot),
            planerStatistics(snapshot),
        ] + failedSources(snapshot)
    }

    static func serverVersion(_ s: Snapshot) -> DoctorCheck {
        let major = s.server.majorVersion
        let standby = s.server.inRecovery ? " (a standby: its counters describe this server only)" : ""
        if supportedMajorVersions.contains(major) {
            return DoctorCheck(name: "server", status: .ok, summary: "PostgreSQL \(s.server.version)\(standby)")
        }
        return DoctorCheck(
            name: "server", status: .warning, summary: "PostgreSQL \(s.server.version) is outside the tested range "
                + "\(supportedMajorVersions.lowerBound)–\(supportedMajorVersions.upperBound)\(standby)",
            impact: "some catalog queries may fail; the snapshot lists each source that did",
            fix: major < supportedMajorVersions.lowerBound ? "upgrade PostgreSQL" : nil)
    }

    static func privileges(_ s: Snapshot) -> DoctorCheck {
        let role = s.role
        if role.isSuperuser {
            return DoctorCheck(name: "privileges", status: .ok,
                               summary: "\(role.name) is a superuser (audits need only pg_monitor)")
        }
        if role.pgMonitor || role.pgReadAllStats {
            let via = role.pgMonitor ? "pg_monitor" : "pg_read_all_stats"
            return DoctorCheck(name: "privileges", status: .ok,
                               summary: "\(role.name) is a member of \(via): all sessions and statements are visible")
        }
        return DoctorCheck(
            name: "privileges", status: .warning,
            summary: "\(role.name) is neither a superuser nor a member of pg_monitor or pg_read_all_stats",
            impact: "other roles' statements and sessions are hidden, so findings undercount",
            fix: StatementSQL.grantRole("pg_monitor", to: role.name))
    }

    static func statements(_ s: Snapshot) -> DoctorCheck {
        guard let source = s.source("pg_stat_statements"), source.isUsable, let info = s.statementsInfo else {
            let status = s.source("pg_stat_statements")
            return DoctorCheck(
                name: "pg_stat_statements", status: .missing,
                summary: status?.reason ?? "pg_stat_statements could not be read",
                impact: "no slow-query, top-time or index advice from the workload",
                fix: status?.fix)
        }
        var summary = "version \(info.extensionVersion), \(s.statements.count) entries in \(s.server.database)"
        if let track = info.track { summary += ", track = \(track)" }
        if info.hiddenEntries > 0 {
            return DoctorCheck(
                name: "pg_stat_statements", status: .warning,
                summary: summary + "; \(info.hiddenEntries) entries of other roles are hidden",
                impact: "hidden statements cannot be ranked or advised on",
                fix: StatementSQL.grantRole("pg_read_all_stats", to: s.role.name))
        }
        if let track = info.track, track == "none" {
            return DoctorCheck(
                name: "pg_stat_statements", status: .warning, summary: summary,
                impact: "nothing new is recorded while track = none",
                fix: StatementSQL.alterSystemScript([("pg_stat_statements.track", "top")]).joined(separator: " "))
        }
        return DoctorCheck(name: "pg_stat_statements", status: .ok, summary: summary)
    }

    static func ioTiming(_ s: Snapshot) -> DoctorCheck {
        guard let setting = s.setting("track_io_timing") else {
            return DoctorCheck(name: "track_io_timing", status: .warning, summary: "setting not visible")
        }
        if setting.boolValue == true {
            return DoctorCheck(name: "track_io_timing", status: .ok, summary: "on: statements report time spent reading")
        }
        return DoctorCheck(
            name: "track_io_timing", status: .warning, summary: "off: read and write times are reported as 0",
            impact: "I/O-bound statements cannot be told apart from CPU-bound ones",
            fix: StatementSQL.alterSystemScript([("track_io_timing", "on")]).joined(separator: " ")
                + " (check the overhead first with pg_test_timing)")
    }

    static func hypopg(_ s: Snapshot) -> DoctorCheck {
        extensionCheck(
            s, name: "hypopg", purpose: "index advice is costed with hypothetical indexes",
            impact: "index advice falls back to statistics and is marked unverified",
            package: "postgresql-\(s.server.majorVersion)-hypopg")
    }

    static func pgstattuple(_ s: Snapshot) -> DoctorCheck {
        var check = extensionCheck(
            s, name: "pgstattuple", purpose: "bloat can be measured exactly with --exact",
            impact: "bloat is estimated from statistics only",
            package: "postgresql-contrib")
        if check.status == .ok, !(s.role.isSuperuser || s.role.pgStatScanTables) {
            check = DoctorCheck(
                name: "pgstattuple", status: .warning,
                summary: "installed, but \(s.role.name) may not execute its functions",
                impact: "bloat is estimated from statistics only",
                fix: StatementSQL.grantRole("pg_stat_scan_tables", to: s.role.name))
        }
        return check
    }

    private static func extensionCheck(
        _ s: Snapshot, name: String, purpose: String, impact: String, package: String
    ) -> DoctorCheck {
        guard s.source("extensions")?.isUsable ?? false else {
            return DoctorCheck(name: name, status: .warning, summary: "extensions could not be listed")
        }
        let ext = s.extension(name)
        if let version = ext?.installedVersion {
            return DoctorCheck(name: name, status: .ok, summary: "version \(version) installed: \(purpose)")
        }
        if ext?.isAvailable == true {
            return DoctorCheck(
                name: name, status: .missing, summary: "available on the server but not created in \(s.server.database)",
                impact: impact, fix: StatementSQL.createExtension(name) + " (as a superuser, in \(s.server.database))")
        }
        return DoctorCheck(
            name: name, status: .missing, summary: "not installed on the server", impact: impact,
            fix: "install the server package (Debian: apt-get install \(package)), then " + StatementSQL.createExtension(name))
    }

    static func planerStatistics(_ s: Snapshot) -> DoctorCheck {
        guard let source = s.source("column_stats") else {
            return DoctorCheck(name: "pg_stats", status: .warning, summary: "not collected")
        }
        switch source.state {
        case .collected:
            return DoctorCheck(name: "pg_stats", status: .ok,
                               summary: "\(s.columnStats.count) column statistics visible")
        case .partial:
            return DoctorCheck(name: "pg_stats", status: .warning, summary: source.reason ?? "partly visible",
                               impact: "bloat estimates and statistics-based index advice skip those tables",
                               fix: source.fix)
        default:
            return DoctorCheck(name: "pg_stats", status: .missing, summary: source.reason ?? "not readable",
                               impact: "no bloat estimates or statistics-based index advice", fix: source.fix)
        }
    }

    /// Any other source that could not be read, so nothing fails silently.
    static func failedSources(_ s: Snapshot) -> [DoctorCheck] {
        let covered: Set<String> = ["pg_stat_statements", "column_stats", "extensions", "settings"]
        return s.sources.filter { !$0.isUsable && !covered.contains($0.name) }.map {
            DoctorCheck(name: $0.name, status: .warning, summary: $0.reason ?? $0.state.rawValue, fix: $0.fix)
        } + s.sources.filter { $0.state == .partial && !covered.contains($0.name) }.map {
            DoctorCheck(name: $0.name, status: .warning, summary: $0.reason ?? "partly read", fix: $0.fix)
        }
    }
}
