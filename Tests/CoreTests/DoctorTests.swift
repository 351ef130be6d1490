import Core
import Model
import Testing

struct DoctorTests {
    static func base(role: RoleInfo = RoleInfo(name: "audit"), extensions: [ExtensionInfo] = [],
                     sources: [SourceStatus] = []) -> Snapshot {
        Snapshot(
            collectedAt: Timestamp(microseconds: 0),
            server: ServerInfo(versionNumber: 150_018, version: "15.18", database: "app"), role: role,
            settings: [Setting(name: "track_io_timing", value: "off")], extensions: extensions,
            sources: [SourceStatus(name: "extensions", state: .collected)] + sources)
    }

    static func check(_ name: String, in snapshot: Snapshot) -> DoctorCheck? {
        Doctor.checks(for: snapshot).first { $0.name == name }
    }

    @Test func plainRoleIsToldToJoinPgMonitor() {
        let check = Self.check("privileges", in: Self.base())
        #expect(check?.status == .warning)
        #expect(check?.fix == "GRANT pg_monitor TO audit;")
        #expect(Self.check("privileges", in: Self.base(role: RoleInfo(name: "m", pgMonitor: true)))?.status == .ok)
    }

    @Test func fixesQuoteTheRoleAndTheValues() {
        #expect(Self.check("privileges", in: Self.base(role: RoleInfo(name: "Audit Role")))?.fix
            == #"GRANT pg_monitor TO "Audit Role";"#)
        #expect(Self.check("track_io_timing", in: Self.base())?.fix
            == "ALTER SYSTEM SET track_io_timing = 'on'; SELECT pg_reload_conf(); (check the overhead first with pg_test_timing)")
    }

    @Test func missingStatementsCarryTheCollectorsFix() {
        let s = Self.base(sources: [SourceStatus(name: "pg_stat_statements", state: .missing,
                                                  reason: "not loaded", fix: "add it to shared_preload_libraries")])
        let check = Self.check("pg_stat_statements", in: s)
        #expect(check?.status == .missing)
        #expect(check?.fix == "add it to shared_preload_libraries")
    }

    @Test func extensionsAvailableInstalledOrAbsent() {
        let available = Self.base(extensions: [ExtensionInfo(name: "hypopg", defaultVersion: "1.3.1")])
        #expect(Self.check("hypopg", in: available)?.fix?.hasPrefix("CREATE EXTENSION hypopg;") == true)
        let absent = Self.base()
        #expect(Self.check("hypopg", in: absent)?.fix?.contains("postgresql-15-hypopg") == true)
        let installed = Self.base(role: RoleInfo(name: "a", isSuperuser: true),
                                  extensions: [ExtensionInfo(name: "pgstattuple", installedVersion: "1.5")])
        #expect(Self.check("pgstattuple", in: installed)?.status == .ok)
        let noGrant = Self.base(extensions: [ExtensionInfo(name: "pgstattuple", installedVersion: "1.5")])
        #expect(Self.check("pgstattuple", in: noGrant)?.fix == "GRANT pg_stat_scan_tables TO audit;")
    }

    @Test func failedSourcesAreNotSilent() {
        let s = Self.base(sources: [SourceStatus(name: "sequences", state: .failed, reason: "lock_timeout")])
        #expect(Self.check("sequences", in: s)?.status == .warning)
        #expect(Self.check("track_io_timing", in: s)?.status == .warning)
    }
}
