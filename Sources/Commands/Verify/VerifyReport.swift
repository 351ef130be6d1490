import Foundation

/// The verify report as text or JSON.
enum VerifyReport {
    static func text(_ report: Verifier.Report) -> String {
        var lines = ["Verify of the apply to database \(report.database) at \(report.appliedAt.iso8601)"]
        lines += report.notes.map { "Note: \($0)" }
        if report.steps.isEmpty { lines.append("Nothing to verify: no index or setting was changed (or all were rolled back).") }
        for step in report.steps {
            lines += ["", "\(step.id): \(step.verdict)"] + step.details.map { "    " + $0 }
            for s in step.statements {
                let after = s.meanAfterMs.map { String(format: "%.2f ms", $0) } ?? "-"
                let text = s.text.split(whereSeparator: \.isNewline).joined(separator: " ")
                lines.append(String(format: "    %@: mean %.2f ms → %@ over %lld calls since: %@",
                                    s.verdict, s.meanBeforeMs, after, s.callsSince, String(text.prefix(100))))
            }
            if let rollback = step.rollback { lines.append("    undo: \(rollback)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ report: Verifier.Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
