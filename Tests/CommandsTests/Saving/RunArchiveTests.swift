import Foundation
import Testing

@testable import Commands

/// Saved runs: named by UTC time, never colliding, written whole, pruned without touching
/// anything that is not a run.
struct RunArchiveTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "pgadvisor-runs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let files: [(name: String, data: Data)] = [("snapshot.json", Data("{}".utf8)), ("audit.json", Data("[]".utf8))]

    @Test func runsAreNamedByUTCTimeAndNeverCollide() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let archive = RunArchive(directory: dir + "/nested")
        let when = Date(timeIntervalSince1970: 1_796_424_600)  // 2026-12-04 22:50:00 UTC
        let first = try archive.save(Self.files, at: when)
        let second = try archive.save(Self.files, at: when)
        let third = try archive.save(Self.files, at: when)
        #expect(first == dir + "/nested/20261204T225000Z")
        #expect(second == first + "-2" && third == first + "-3")
        #expect(try String(contentsOfFile: second + "/audit.json", encoding: .utf8) == "[]")
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir + "/nested").sorted()
        #expect(entries == ["20261204T225000Z", "20261204T225000Z-2", "20261204T225000Z-3"], "no temporary folder left: \(entries)")
        #expect(try archive.runNames() == entries)
    }

    @Test func keepRemovesOnlyTheOldestRuns() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let archive = RunArchive(directory: dir)
        for day in [3, 1, 2] {
            _ = try archive.save(Self.files, at: Date(timeIntervalSince1970: 1_796_424_600 - Double(day) * 86_400))
        }
        _ = try archive.save(Self.files, at: Date(timeIntervalSince1970: 1_796_424_600))
        _ = try archive.save(Self.files, at: Date(timeIntervalSince1970: 1_796_424_600))
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/20200101T000000Z-notes", withIntermediateDirectories: false)
        try fm.createDirectory(atPath: dir + "/keep-me", withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/20200101T000000Z"))  // a file, not a run
        let removed = try archive.prune(keep: 2)
        #expect(removed == ["20261201T225000Z", "20261202T225000Z", "20261203T225000Z"])
        let left = try fm.contentsOfDirectory(atPath: dir).sorted()
        #expect(left == ["20200101T000000Z", "20200101T000000Z-notes", "20261204T225000Z", "20261204T225000Z-2", "keep-me"])
        #expect(try archive.prune(keep: 5).isEmpty)
    }

    @Test(arguments: [
        ("20261204T225000Z", true), ("20261204T225000Z-2", true), ("20261204T225000Z-12", true),
        ("20261204T225000Z-1", false), ("20261204T225000Z-", false), ("20261204T225000", false),
        ("2026-12-04T225000Z", false), (".20261204T225000Z.1.2.tmp", false), ("20261204T225000Z-x", false),
    ])
    func runNames(name: String, isRun: Bool) {
        #expect((RunArchive.parseRunName(name) != nil) == isRun)
    }
}
