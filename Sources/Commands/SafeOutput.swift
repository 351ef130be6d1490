import Foundation

/// Writes to standard output or error that never stop the program: a closed pipe (`| head`, a
/// logger gone) loses the text but not the run. `FileHandle.write` traps on such an error.
enum SafeOutput {
    static func out(_ text: String) { write(STDOUT_FILENO, Array(text.utf8)) }
    static func out(_ data: Data) { write(STDOUT_FILENO, Array(data)) }
    static func err(_ text: String) { write(STDERR_FILENO, Array(text.utf8)) }

    private static func write(_ descriptor: Int32, _ all: [UInt8]) {
        var bytes = all[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
