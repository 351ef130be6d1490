import Foundation
import Model

/// Writes a snapshot to a file a piece at a time, into a temporary file beside it that
/// replaces the target only once complete (an existing file is never left half written).
enum SnapshotFileWriter {
    static func write(_ snapshot: Snapshot, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        guard fd >= 0 else { throw failure(path, errno) }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temporary)
        }
        try snapshot.writeJSON { piece in
            try piece.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { throw failure(path, errno) }
                    offset += written
                }
            }
        }
        closed = true
        guard close(fd) == 0 else { throw failure(path, errno) }
        guard rename(temporary, path) == 0 else { throw failure(path, errno) }
    }

    private static func failure(_ path: String, _ code: Int32) -> CLIError {
        CLIError("cannot write \(path): \(String(cString: strerror(code))): choose a writable path")
    }
}
