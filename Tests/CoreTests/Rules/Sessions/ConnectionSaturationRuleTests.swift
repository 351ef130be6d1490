import Core
import Model
import Testing

@Suite struct ConnectionSaturationRuleTests {
    static func clients(_ count: Int, state: String?, from pid: Int32, user: String? = "app") -> [SessionInfo] {
        (0..<count).map { i in
            SessionInfo(pid: pid + Int32(i), database: "app", user: user,
                        backendType: state == nil ? nil : "client backend", state: state)
        }
    }

    @Test func thresholdIsOnUsableSlots() throws {
        // 100 − 3 reserved = 97 usable: 78 is 80.4 %, 77 is 79.4 %.
        let over = Example.snapshot(sessions: Self.clients(78, state: "active", from: 1))
        let under = Example.snapshot(sessions: Self.clients(77, state: "active", from: 1))
        let finding = try #require(try SessionRuleHarness.findings(ConnectionSaturationRule.self, over).first)
        #expect(finding.severity == .warning)
        #expect(finding.evidence("connectionsInUse") == .count(78))
        #expect(finding.evidence("usableConnections") == .count(97))
        #expect(finding.evidence("superuserReservedConnections") == .count(3))
        #expect(finding.evidence("reservedConnections") == .count(0))
        #expect(finding.message.contains("78 client connections use 80.4% of the 97 usable slots"))
        #expect(try SessionRuleHarness.findings(ConnectionSaturationRule.self, under).isEmpty)
    }

    @Test func mostlyIdleMeansPoolerOnly() throws {
        let snapshot = Example.snapshot(sessions:
            Self.clients(80, state: "idle", from: 1) + Self.clients(10, state: "active", from: 1000))
        let finding = try #require(try SessionRuleHarness.findings(ConnectionSaturationRule.self, snapshot).first)
        #expect(finding.severity == .critical)
        #expect(finding.evidence("idleConnections") == .count(80))
        #expect(finding.evidence("activeConnections") == .count(10))
        #expect(SessionRuleHarness.manualTexts(finding).contains { $0.contains("PgBouncer") })
        #expect(!finding.remediations.contains { if case .alterSystem = $0 { true } else { false } })
    }

    @Test func busyConnectionsAlsoSuggestMoreSlots() throws {
        let snapshot = Example.snapshot(sessions:
            Self.clients(80, state: "active", from: 1) + Self.clients(10, state: "idle in transaction", from: 1000))
        let finding = try #require(try SessionRuleHarness.findings(ConnectionSaturationRule.self, snapshot).first)
        let raise = finding.remediations.compactMap { r -> (String, Bool)? in
            if case .alterSystem(name: "max_connections", let value, let restart) = r { (value, restart) } else { nil }
        }
        let (value, restart) = try #require(raise.first)
        #expect(restart)
        #expect(Int(value).map { $0 > 100 && $0 % 10 == 0 } == true, "\(value)")
        #expect(finding.evidence("idleInTransactionConnections") == .count(10))
    }

    @Test func hiddenSessionsWithAUserCountAsClients() throws {
        var snapshot = Example.snapshot(sessions:
            Self.clients(40, state: "active", from: 1)
                + Self.clients(45, state: nil, from: 1000, user: "other")
                + Self.clients(20, state: nil, from: 2000, user: nil))
        snapshot.role = RoleInfo(name: "audit")
        let finding = try #require(try SessionRuleHarness.findings(ConnectionSaturationRule.self, snapshot).first)
        #expect(finding.evidence("connectionsInUse") == .count(85))
        #expect(finding.evidence("hiddenConnections") == .count(45))
        #expect(finding.notes.contains { $0.contains("45 sessions of other roles are hidden") })
    }

    @Test func reservedConnectionsShrinkTheUsableSlots() throws {
        let snapshot = Example.snapshot(
            versionNumber: 160_000,
            settings: [
                Example.setting("max_connections", "200", context: "postmaster"),
                Example.setting("superuser_reserved_connections", "5", context: "postmaster"),
                Example.setting("reserved_connections", "15", context: "postmaster"),
            ],
            sessions: Self.clients(150, state: "active", from: 1))
        let finding = try #require(try SessionRuleHarness.findings(ConnectionSaturationRule.self, snapshot).first)
        #expect(finding.evidence("usableConnections") == .count(180))
        #expect(finding.message.contains("minus 20 reserved"))
        #expect(finding.severity == .warning)
    }
}
