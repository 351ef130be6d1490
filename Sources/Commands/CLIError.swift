/// A failure the user can act on: printed as one line, `pgadvisor: error: <message>`.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    init(_ message: String, exitCode: Int32 = ExitStatus.error) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}

/// Process exit codes.
enum ExitStatus {
    static let ok: Int32 = 0
    /// Something went wrong (connection, file, server).
    static let error: Int32 = 1
    /// Findings at or above --fail-on were reported.
    static let findings: Int32 = 2
    /// The command line was wrong (EX_USAGE).
    static let usage: Int32 = 64
}
