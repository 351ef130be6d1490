import Foundation

/// Writes to standard output or error that never stop the program: a closed pipe (`| head`, a
/// logger gone) loses the text but not the run. `FileHandle.write` traps on such an error.
enum SafeOutput {
    static func out(_ text: String) { write(STDOUT_FILENO, text) }
    static func err(_ text: String) { write(STDERR_FILENO, text) }

    private static func write(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
