import Foundation
import Testing
import TestSupport

/// `plan` from the recorded demo snapshot: no server needed.
struct PlanCLITests {
    static let snapshot = PostgresTools.root.appendingPathComponent("reports/demo/snapshot.json").path
    static let config = PostgresTools.root.appendingPathComponent("sql/demo/pgadvisor.toml").path

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writing over an earlier plan replaces it whole, and leaves no temporary file.
    @Test func outputReplacesAnEarlierFile() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sql = dir.appendingPathComponent("plan.sql").path
        let rollback = dir.appendingPathComponent("rollback.sql").path
        try Data("stale".utf8).write(to: URL(fileURLWithPath: sql))
        for _ in 0..<2 {
            let r = try CLI.run(["plan", "--from", Self.snapshot, "--config", Self.config, "--output", sql, "--rollback-output", rollback])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let script = try String(contentsOfFile: sql, encoding: .utf8)
        #expect(script.hasPrefix("-- pgadvisor plan for database demo"))
        #expect(script.contains("\\set ON_ERROR_STOP on"))
        #expect(try String(contentsOfFile: rollback, encoding: .utf8).contains("-- undo create-index:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["plan.sql", "rollback.sql"])
    }

    /// The JSON plan names its steps by the change, and `--only` keeps what it names.
    @Test func jsonPlanAndOnly() throws {
        let r = try CLI.run(["plan", "--from", Self.snapshot, "--config", Self.config, "--format", "json", "--only", "unused-index,duplicate-index"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        let steps = object["steps"] as? [[String: Any]] ?? []
        #expect(!steps.isEmpty)
        #expect(steps.allSatisfy { ($0["id"] as? String ?? "").hasPrefix("drop-index:") }, "\(steps.map { $0["id"] ?? "" })")
        #expect(steps.contains { $0["id"] as? String == "drop-index:shop.products_sku_idx" })
    }

    @Test func unknownSelectorIsAUsageError() throws {
        let r = try CLI.run(["plan", "--from", Self.snapshot, "--only", "unused-indexes"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("pgadvisor: error: --only unused-indexes: not a rule id"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
