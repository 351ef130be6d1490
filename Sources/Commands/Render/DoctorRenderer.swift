import Core

/// Prints the doctor's checks.
enum DoctorRenderer {
    struct Report: Encodable {
        var schemaVersion = 1
        var target: String
        var checks: [DoctorCheck]
    }

    static func render(_ checks: [DoctorCheck], target: String, as format: OutputFormat) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(Report(target: target, checks: checks))
        case .html, .junit, .github:
            throw OutputFormat.Unsupported(format: format)
        case .text, .markdown:
            var out = ["pgadvisor doctor — \(target)", ""]
            let width = checks.map(\.name.count).max() ?? 0
            for check in checks {
                let mark: String
                switch check.status {
                case .ok: mark = "ok     "
                case .warning: mark = "warning"
                case .missing: mark = "missing"
                }
                let name = check.name + String(repeating: " ", count: width - check.name.count)
                out.append("\(mark)  \(name)  \(check.summary)")
                let pad = String(repeating: " ", count: 9 + width + 2)
                if let impact = check.impact, check.status != .ok { out.append("\(pad)without it: \(impact)") }
                if let fix = check.fix, check.status != .ok { out.append("\(pad)fix: \(fix)") }
            }
            let problems = checks.filter { $0.status != .ok }.count
            out.append("")
            out.append(problems == 0 ? "Everything pgadvisor uses is available."
                : "\(problems) of \(checks.count) checks need attention.")
            return out.joined(separator: "\n") + "\n"
        }
    }
}
