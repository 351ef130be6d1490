import Foundation
import Testing
import TestSupport

/// The JSON reports are a contract for other programs: `audit`, `indexes` and `tune` driven from
/// the recorded demo snapshot, without a server, each documented field pinned.
struct JSONContractTests {
    static let snapshot = PostgresTools.root.appendingPathComponent("reports/demo/snapshot.json").path
    static let config = PostgresTools.root.appendingPathComponent("sql/demo/pgadvisor.toml").path

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLI.run(arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static func audit() throws -> [[String: Any]] {
        let report = try json(["audit", "--from", snapshot, "--config", config, "--ram", "4GB", "--cpus", "2"])
        #expect(report["schemaVersion"] as? Int == 1)
        return report["findings"] as? [[String: Any]] ?? []
    }

    @Test func auditFindingsNameTheirTargetKind() throws {
        let findings = try Self.audit()
        let kinds: Set<String> = ["relation", "column", "statement", "setting", "database", "session", "server"]
        for f in findings { #expect(kinds.contains(f["targetKind"] as? String ?? ""), "\(f["rule"] ?? "") \(f["targetKind"] ?? "nil")") }
        #expect(findings.contains { $0["rule"] as? String == "unused-index" && $0["targetKind"] as? String == "relation" })
        #expect(findings.contains { $0["rule"] as? String == "memory-settings" && $0["targetKind"] as? String == "setting" })
        #expect(findings.contains { $0["rule"] as? String == "top-time-query" && $0["targetKind"] as? String == "statement" })
    }

    /// A drop carries its rollback (the index re-created concurrently); a manual step has empty
    /// SQL and no rollback key; a VACUUM, which cannot be undone, has none either.
    @Test func auditActionsCarryTheirRollback() throws {
        let actions = try Self.audit().flatMap { $0["actions"] as? [[String: Any]] ?? [] }
        let drops = actions.filter { $0["kind"] as? String == "drop-index" }
        #expect(!drops.isEmpty)
        for drop in drops {
            #expect((drop["rollback"] as? String ?? "").hasPrefix("CREATE INDEX CONCURRENTLY "), "\(drop)")
        }
        for manual in actions where manual["kind"] as? String == "manual" {
            #expect(manual["sql"] as? String == "" && manual["rollback"] == nil, "\(manual)")
        }
        #expect(actions.contains { $0["kind"] as? String == "vacuum" && $0["rollback"] == nil })
        #expect(actions.contains { $0["kind"] as? String == "alter-system" && ($0["rollback"] as? String ?? "").hasPrefix("ALTER SYSTEM RESET ") })
    }

    /// The overview ranks statements by calls and indexes by scans, in every format, each list
    /// cut at `--top`.
    @Test func auditOverviewHasFrequentStatementsAndIndexUsage() throws {
        let arguments = ["audit", "--from", Self.snapshot, "--config", Self.config, "--top", "3"]
        let report = try Self.json(arguments)
        let overview = try #require(report["overview"] as? [String: Any])
        let frequent = try #require((overview["statements"] as? [String: Any])?["frequent"] as? [[String: Any]])
        let calls = frequent.compactMap { $0["calls"] as? Int }
        #expect(calls.count == 3 && calls == calls.sorted(by: >), "\(calls)")
        let indexes = try #require(overview["indexes"] as? [[String: Any]])
        let scans = indexes.compactMap { $0["scans"] as? Int }
        #expect(scans.count == 3 && scans == scans.sorted(by: >), "\(scans)")
        for index in indexes {
            for key in ["index", "table", "method", "tuplesRead", "tuplesFetched", "sizeBytes"] {
                #expect(index[key] != nil, "\(key) missing in \(index)")
            }
        }
        let text = try CLI.run(arguments)
        #expect(text.stdout.contains("Most frequent statements (by calls)") && text.stdout.contains("Index usage (by scans)"))
        let markdown = try CLI.run(arguments + ["--format", "markdown"])
        #expect(markdown.stdout.contains("## Most frequent statements") && markdown.stdout.contains("## Index usage"))
    }

    @Test func auditImpactIsAScoreAndASummary() throws {
        for f in try Self.audit() {
            let impact = try #require(f["impact"] as? [String: Any], "\(f["rule"] ?? "")")
            #expect(impact["score"] is Double || impact["score"] is Int, "\(impact)")
            #expect(impact["summary"] is String, "\(impact)")
        }
    }

    /// Offline the advice is estimated: the lower bound (every candidate at once) is a share of
    /// the workload's cost, never above the recommendations' own.
    @Test func indexesReportTheirLowerBound() throws {
        let report = try Self.json(["indexes", "--from", Self.snapshot])
        #expect(report["verified"] as? Bool == false)
        let relative = try #require(report["relativeCost"] as? Double)
        let bound = try #require(report["lowerBoundRelativeCost"] as? Double)
        #expect(bound > 0 && bound <= relative && relative <= 1, "\(bound) ≤ \(relative) ≤ 1")
    }

    /// Every setting keeps PGTune's own value beside the recommendation.
    @Test func tuneKeepsPGTunesValue() throws {
        let report = try Self.json(["tune", "--from", Self.snapshot, "--ram", "4GB", "--cpus", "2"])
        let settings = report["settings"] as? [[String: Any]] ?? []
        #expect(!settings.isEmpty)
        for s in settings { #expect(s["pgtune"] is String, "\(s["name"] ?? "")") }
        let buffers = try #require(settings.first { $0["name"] as? String == "shared_buffers" })
        #expect(buffers["pgtune"] as? String == "1GB", "RAM / 4")
        #expect((report["inputs"] as? [String: Any])?["ramBytes"] != nil)
    }
}
