import Foundation
import Testing

@testable import Commands

/// Report files are replaced once complete; a device or a pipe is written in place, never
/// replaced by a regular file.
@Suite struct OutputFileTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func replacesARegularFile() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("report.txt").path
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        try OutputFile.write("new\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.txt"], "no temporary file left")
    }

    @Test func writesIntoAPipeInPlace() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(path, 0o600) == 0)
        #expect(OutputFile.isDeviceOrPipe(path) && OutputFile.isDeviceOrPipe("/dev/null") && !OutputFile.isDeviceOrPipe(dir.path))
        let received = LockedText()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: path) { received.set(String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)) }
        }
        reader.start()
        try OutputFile.write("through the pipe\n", to: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the pipe is still a pipe")
        for _ in 0..<200 where received.get() == nil { usleep(10_000) }
        #expect(received.get() == "through the pipe\n")
    }

    final class LockedText: @unchecked Sendable {
        private let lock = NSLock()
        private var text: String?
        func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
        func get() -> String? { lock.lock(); defer { lock.unlock() }; return text }
    }
}
