import Core
import Model
import Testing

/// The comparison of two hand-built snapshots a day apart: each section, with continuous counters.
@Suite struct SnapshotDiffTests {
    /// OLD: a day before NEW, otherwise as `Example.snapshot` builds it.
    static func old(statements: [StatementStats] = [], tables: [TableInfo] = [], indexes: [IndexInfo] = [],
                    settings: [Setting] = []) -> Snapshot {
        var s = Example.snapshot(settings: settings, statements: statements, tables: tables, indexes: indexes)
        s.collectedAt = Example.ago(days: 1)
        return s
    }

    static func new(statements: [StatementStats] = [], tables: [TableInfo] = [], indexes: [IndexInfo] = [],
                    settings: [Setting] = []) -> Snapshot {
        Example.snapshot(settings: settings, statements: statements, tables: tables, indexes: indexes)
    }

    static func statement(_ id: Int64, calls: Int64, totalMs: Double) -> StatementStats {
        StatementStats(queryId: id, userName: "app", query: "SELECT \(id)", calls: calls, totalExecTime: totalMs)
    }

    static func diff(_ old: Snapshot, _ new: Snapshot, options: DiffOptions = DiffOptions()) -> SnapshotDiff {
        let empty = AuditResult(findings: [], skipped: [], evaluated: [], disabled: [])
        return SnapshotDiff.compare(old: old, new: new, oldAudit: empty, newAudit: empty, options: options)
    }

    @Test func aStatementSlowerOverTheWindowRegressesThoughItsCumulativeMeanBarelyMoved() throws {
        // 1000 calls at 2 ms, then 100 calls at 10 ms: the cumulative mean is only 2.7 ms (+36 %).
        let d = Self.diff(Self.old(statements: [Self.statement(1, calls: 1000, totalMs: 2000)]),
                          Self.new(statements: [Self.statement(1, calls: 1100, totalMs: 3000)]))
        let r = try #require(d.regressions.first)
        #expect(d.regressions.count == 1)
        #expect(r.key.queryId == 1 && r.key.user == "app")
        #expect(r.window.calls == 100)
        #expect(r.window.meanMs == 10)
        #expect(r.oldMeanMs == 2)
        #expect(r.basis == .window)
        #expect(abs((r.slowdown ?? 0) - 4) < 1e-9)
        #expect(abs(r.addedMs - 800) < 1e-9)
        #expect(d.caveats.isEmpty)
    }

    @Test func theFloorTheShareAndTheCallsKeepNoiseOut() {
        let old = Self.old(statements: [
            Self.statement(1, calls: 1000, totalMs: 100),    // 0.1 ms
            Self.statement(2, calls: 1000, totalMs: 10_000), // 10 ms
            Self.statement(3, calls: 1000, totalMs: 10_000), // 10 ms
        ])
        let new = Self.new(statements: [
            Self.statement(1, calls: 2000, totalMs: 600),     // 0.5 ms: +400 % but 0.4 ms
            Self.statement(2, calls: 2000, totalMs: 24_000),  // 14 ms: +40 %
            Self.statement(3, calls: 1005, totalMs: 10_500),  // 100 ms but 5 calls
        ])
        #expect(Self.diff(old, new).regressions.isEmpty)
        // Looser thresholds let each through.
        let loose = Self.diff(old, new, options: DiffOptions(regression: 0.3, minDeltaMs: 0, minCalls: 5))
        #expect(loose.regressions.map(\.key.queryId).sorted() == [1, 2, 3])
    }

    @Test func newHeavyStatementsAreTheTopOnesOldDidNotRun() {
        let old = Self.old(statements: [Self.statement(1, calls: 1000, totalMs: 5000), Self.statement(2, calls: 3, totalMs: 3)])
        let new = Self.new(statements: [
            Self.statement(1, calls: 2000, totalMs: 10_000),  // +5 s, known
            Self.statement(2, calls: 503, totalMs: 9_003),    // +9 s, 3 calls in OLD
            Self.statement(3, calls: 50, totalMs: 20_000),    // +20 s, new
            Self.statement(4, calls: 10, totalMs: 1),         // new, but light
        ])
        let d = Self.diff(old, new, options: DiffOptions(top: 3))
        #expect(d.newStatements.map(\.key.queryId) == [3, 2])
        #expect(d.newStatements.first?.oldCalls == nil)
        #expect(d.newStatements.first?.window.totalMs == 20_000)
        // With room in the top, the light one stays out: under 1 % of the window's time.
        #expect(Self.diff(old, new).newStatements.map(\.key.queryId) == [3, 2])
    }

    @Test func maintenanceCommandsAreNotNewHeavyStatements() {
        var build = Self.statement(7, calls: 1, totalMs: 5_000)
        build.query = "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON shop.orders (customer_id)"
        var vacuum = Self.statement(8, calls: 1, totalMs: 3_000)
        vacuum.query = "VACUUM shop.sessions"
        let d = Self.diff(Self.old(), Self.new(statements: [build, vacuum, Self.statement(9, calls: 50, totalMs: 1_000)]))
        #expect(d.newStatements.map(\.key.queryId) == [9])
    }

    @Test func indexesThatStoppedOrStartedBeingScannedCameAndWent() {
        let old = Self.old(indexes: [
            Example.index("app.a_idx", on: "app.t", columns: ["a"], scans: 500),
            Example.index("app.b_idx", on: "app.t", columns: ["b"], scans: 0),
            Example.index("app.c_idx", on: "app.t", columns: ["c"], scans: 10),
            Example.index("app.gone_idx", on: "app.t", columns: ["d"], scans: 1),
        ])
        let new = Self.new(indexes: [
            Example.index("app.a_idx", on: "app.t", columns: ["a"], scans: 500),
            Example.index("app.b_idx", on: "app.t", columns: ["b"], scans: 20),
            Example.index("app.c_idx", on: "app.t", columns: ["c"], scans: 90),
            Example.index("app.fresh_idx", on: "app.t", columns: ["e"], scans: 0),
        ])
        let d = Self.diff(old, new)
        #expect(d.indexes.map { "\($0.kind.rawValue) \($0.index)" }
            == ["became-unused app.a_idx", "became-used app.b_idx", "created app.fresh_idx", "dropped app.gone_idx"])
        #expect(d.indexes[0].windowScans == 0 && d.indexes[0].oldScans == 500 && d.indexes[0].basis == .window)
        #expect(d.indexes[1].windowScans == 20)
    }

    @Test func growthListsTheLargestDeltasFirstAndNewTablesFromNothing() {
        let old = Self.old(tables: [Example.table("app.small", pages: 10), Example.table("app.big", pages: 1000)],
                           indexes: [Example.index("app.big_idx", on: "app.big", columns: ["id"], pages: 100)])
        let new = Self.new(tables: [Example.table("app.small", pages: 20), Example.table("app.big", pages: 3000),
                                    Example.table("app.fresh", pages: 50), Example.table("app.same", pages: 5)],
                           indexes: [Example.index("app.big_idx", on: "app.big", columns: ["id"], pages: 300)])
        let d = Self.diff(old, new, options: DiffOptions(top: 2))
        #expect(d.tableGrowth.map(\.relation?.name) == ["big", "fresh"])
        #expect(d.tableGrowth[0].deltaBytes == 2000 * 8192)
        #expect(d.tableGrowth[0].growth == 2)
        #expect(d.tableGrowth[1].oldBytes == nil)
        #expect(d.indexGrowth.map(\.deltaBytes) == [200 * 8192])
    }

    @Test func bloatGrowthUsesTheAuditsEstimate() {
        // The same 10,000 rows in three times the pages: the heap model counts the extra as waste.
        let columns = [ColumnStats(schema: "app", table: "t", column: "id", nullFraction: 0, averageWidth: 8, distinctValues: -1),
                       ColumnStats(schema: "app", table: "t", column: "payload", nullFraction: 0, averageWidth: 32, distinctValues: -1)]
        var old = Example.snapshot(tables: [Example.table("app.t", rows: 10_000, pages: 200)], columnStats: columns)
        old.collectedAt = Example.ago(days: 1)
        let new = Example.snapshot(tables: [Example.table("app.t", rows: 10_000, pages: 3000)], columnStats: columns)
        let d = Self.diff(old, new)
        let bloat = d.bloatGrowth.first { $0.kind == .tableBloat }
        #expect(bloat?.relation?.name == "t")
        #expect((bloat?.deltaBytes ?? 0) >= 2800 * 8192 - 8192)
    }

    @Test func settingsChangesAreShownInTheirUnits() {
        let old = Self.old(settings: [Example.setting("work_mem", "4096", unit: "kB", context: "user"),
                                      Example.setting("checkpoint_timeout", "300", unit: "s")])
        let new = Self.new(settings: [Example.setting("work_mem", "65536", unit: "kB", context: "user"),
                                      Example.setting("checkpoint_timeout", "300", unit: "s")])
        let d = Self.diff(old, new)
        #expect(d.settings == [SettingChange(name: "work_mem", oldValue: "4MB", newValue: "64MB")])
    }

    @Test func identicalSnapshotsHaveNothingToSay() {
        let s = Self.new(statements: [Self.statement(1, calls: 10, totalMs: 10)], tables: [Example.table("app.t")])
        let d = Self.diff(s, s)
        #expect(d.isEmpty)
        #expect(d.resets == StatisticsResets())
    }
}
