import Foundation
import Testing
import TestSupport

/// The audit while pgbench drives the server at full speed: neither waits on the other, the
/// audit finishes well inside its timeouts and pgbench reports no failed transaction. The
/// throughput lost is printed, not asserted (bench/audit-under-load measures it properly).
@Suite(.enabled(if: TestServer.isAvailable(.isolated), "needs the isolated throwaway server: run scripts/test"),
       .serialized, .isolatedCluster)
struct AuditUnderLoadTests {
    static let database = "pgadvisor_load"

    /// Starts pgbench -c 4 -j 2 for `transactions` per client (not -T: the test process blocks
    /// SIGALRM, which its children inherit and pgbench's -T timer needs); its output is read
    /// when it ends.
    static func startPgbench(transactions: Int) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PostgresTools.binDirectory + "/pgbench")
        process.arguments = ["-c", "4", "-j", "2", "-t", "\(transactions)", "-n", TestServer.uri(database)]
        let out = Pipe()
        (process.standardOutput, process.standardError, process.standardInput) = (out, out, FileHandle.nullDevice)
        try process.run()
        return (process, out)
    }

    static func finish(_ run: (Process, Pipe)) -> (status: Int32, output: String) {
        let data = run.1.fileHandleForReading.readDataToEndOfFile()
        run.0.waitUntilExit()
        return (run.0.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func tps(_ output: String) -> Double? {
        output.split(separator: "\n").first { $0.hasPrefix("tps = ") }
            .flatMap { $0.split(separator: " ").dropFirst(2).first }.flatMap { Double($0) }
    }

    @Test func auditAndPgbenchNeitherBlockTheOther() throws {
        try TestServer.freshDatabase(Self.database, setup: ["CREATE EXTENSION pg_stat_statements", "CREATE EXTENSION hypopg"])
        try PostgresTools.pgbench(Self.database, ["-i", "-q", "-s", "2"])
        let alone = Self.finish(try Self.startPgbench(transactions: 200))
        #expect(alone.status == 0, "\(alone.output)")

        let loaded = try Self.startPgbench(transactions: 600)
        Thread.sleep(forTimeInterval: 0.5)
        let started = Date()
        let audit = try CLI.run(["audit", TestServer.uri(Self.database), "--format", "json"])
        let elapsed = Date().timeIntervalSince(started)
        let during = Self.finish(loaded)

        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout.contains("\"findings\""))
        // statement_timeout is 30 s and lock_timeout 2 s: an audit that waited on pgbench's
        // locks would take seconds per wait.
        #expect(elapsed < 20, "the audit took \(elapsed) s under load")
        #expect(during.status == 0, "\(during.output)")
        #expect(!during.output.lowercased().contains("error"), "\(during.output)")
        let failed = during.output.split(separator: "\n").first { $0.hasPrefix("number of failed transactions") }
        #expect(failed == nil || failed!.contains(": 0 "), "\(failed ?? "")")
        let (before, under) = (Self.tps(alone.output) ?? 0, Self.tps(during.output) ?? 0)
        #expect(before > 0 && under > 0, "\(alone.output)\n\(during.output)")
        print("audit under load: pgbench \(String(format: "%.0f", before)) tps alone, \(String(format: "%.0f", under)) tps "
              + "over a run with one audit (\(String(format: "%.2f", elapsed)) s); "
              + "\(String(format: "%.1f", 100 * (before - under) / before))% lost")
    }
}
