import Foundation
import Model

/// ANSI styling for text reports, only when printing to a terminal and NO_COLOR is not set.
struct TextStyle {
    var enabled: Bool

    static func forStandardOutput() -> TextStyle {
        TextStyle(enabled: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb")
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func sql(_ text: String) -> String { wrap(text, "36") }

    func severity(_ severity: Severity, _ text: String) -> String {
        switch severity {
        case .critical: wrap(text, "1;31")
        case .warning: wrap(text, "33")
        case .info: wrap(text, "34")
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
