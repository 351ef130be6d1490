import Foundation

/// Writing a report or snapshot file: replaced only once complete (written to a temporary file
/// beside it, then renamed over it), with a clear error when it cannot be. A device or a pipe
/// (`/dev/stdout`, `/dev/null`, a FIFO) is written in place: renaming a file over it would
/// replace the device itself.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        try write(to: path) { emit in try emit(Data(text.utf8)) }
    }

    /// Writes what `produce` hands to its `emit` argument, a piece at a time, so a large
    /// document is never held whole.
    static func write(to path: String, _ produce: ((Data) throws -> Void) throws -> Void) throws {
        if isDeviceOrPipe(path) {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { throw failure(path, errno) }
            defer { close(fd) }
            try produce { try writeAll($0, to: fd, path: path) }
            return
        }
        let target = URL(fileURLWithPath: path)
        // The pid keeps two runs writing the same file (two cron jobs) apart.
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        guard fd >= 0 else { throw failure(path, errno) }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temporary)
        }
        try produce { try writeAll($0, to: fd, path: path) }
        closed = true
        guard close(fd) == 0 else { throw failure(path, errno) }
        guard rename(temporary, path) == 0 else { throw failure(path, errno) }
    }

    /// True when `path` (its symbolic links followed) exists and is not a regular file or a directory.
    static func isDeviceOrPipe(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(fd, base + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw failure(path, errno) }
                offset += written
            }
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> CLIError {
        let advice = code == EISDIR ? "name a file, not a directory"
            : code == ENOENT ? "check that its directory exists" : "choose a writable path"
        return CLIError("cannot write \(path): \(String(cString: strerror(code))): \(advice)")
    }
}
