import Core

/// The review as JUnit XML: one test suite per file, one test case per statement named by its
/// file, line and text. A statement at or above the gate (`--fail-on`, else `fail`) is a
/// `<failure>` whose message and body hold the reasons; below it, its reasons are in
/// `<system-out>`, so the CI verdict and the exit status agree.
enum ReviewJUnitRenderer {
    static func render(_ report: ReviewReport, gate: ReviewVerdict = .fail) -> String {
        let failing = report.statements.filter { $0.verdict >= gate && $0.verdict != .pass }.count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuites name=\"pgadvisor review\" tests=\"\(report.statements.count)\" failures=\"\(failing)\" errors=\"0\">",
        ]
        for file in report.files {
            let statements = report.statements.filter { $0.file == file }
            let failures = statements.filter { $0.verdict >= gate && $0.verdict != .pass }.count
            lines.append("  <testsuite name=\"\(attribute(file))\" tests=\"\(statements.count)\" failures=\"\(failures)\" errors=\"0\">")
            for statement in statements { lines += testCase(statement, gate: gate) }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func testCase(_ s: StatementReview, gate: ReviewVerdict) -> [String] {
        let name = "\(s.location) \(ReviewRenderer.excerpt(s, limit: 60))"
        let open = "    <testcase classname=\"\(attribute(s.file))\" name=\"\(attribute(name))\" file=\"\(attribute(s.file))\" line=\"\(s.line)\""
        let reasons = s.findings.map { "\($0.verdict.rawValue): \($0.check): \($0.message)" + ($0.fix.map { "\nfix: \($0)" } ?? "") }
            + s.notes.map { "note: \($0)" }
        guard !reasons.isEmpty else { return [open + "/>"] }
        var lines = [open + ">"]
        if s.verdict >= gate && s.verdict != .pass {
            let first = s.findings.first { $0.verdict == s.verdict } ?? s.findings[0]
            lines.append("      <failure type=\"\(attribute(first.check))\" message=\"\(attribute(first.check + ": " + first.message))\">"
                + text(reasons.joined(separator: "\n")) + "</failure>")
        } else {
            lines.append("      <system-out>" + text(reasons.joined(separator: "\n")) + "</system-out>")
        }
        lines.append("    </testcase>")
        return lines
    }

    /// Text for an attribute value: markup characters and quotes escaped, line breaks kept as
    /// character references, characters XML 1.0 forbids dropped.
    static func attribute(_ value: String) -> String {
        text(value).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\r", with: "&#13;")
            .replacingOccurrences(of: "\t", with: "&#9;")
    }

    /// Character data: `&`, `<` and `>` escaped, characters XML 1.0 forbids dropped.
    static func text(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars where allowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// XML 1.0's Char production.
    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
