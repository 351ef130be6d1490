import Foundation

/// Writing a report file: replaced only once complete (written beside it, then renamed over
/// it), with a clear error when it cannot be. A device or a pipe (`/dev/stdout`, `/dev/null`,
/// a FIFO) is written in place: renaming a file over it would replace the device itself.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        if isDeviceOrPipe(path) {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIError("cannot write \(path): check its permissions")
            }
            defer { try? handle.close() }
            do {
                try handle.write(contentsOf: Data(text.utf8))
            } catch {
                throw CLIError("cannot write \(path): check that something reads it")
            }
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw CLIError("cannot write \(path): check that its directory exists and is writable")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("cannot replace \(path) (\(reason)): check its permissions")
        }
    }

    /// True when `path` (its symbolic links followed) exists and is not a regular file or a directory.
    static func isDeviceOrPipe(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }
}
