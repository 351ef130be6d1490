import Foundation

/// Writing a report file: replaced only once complete (written beside it, then renamed over
/// it), with a clear error when it cannot be.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
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
}
