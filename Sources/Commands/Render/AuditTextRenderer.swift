import Core
import Model
import Planner

/// The audit report for a terminal: one block per finding, with its evidence, impact and fix.
enum AuditTextRenderer {
    static func render(_ report: AuditReport, style: TextStyle) -> String {
        let r = report.result
        var out = [style.bold("pgadvisor audit — \(report.snapshot.server.database)"), ""]
        out += SummaryRenderer.textHeader(report.summary)
        if let config = report.configFile { out.append("Config      \(config)") }
        out.append("")
        out.append(style.bold(AuditRenderer.countsLine(r)))
        if let line = AuditRenderer.suppressedLine(r) { out.append(line) }
        out += r.expiredSuppressions.map { style.bold(AuditRenderer.expiredLine($0)) }
        for (i, f) in r.findings.enumerated() {
            out.append("")
            out += finding(f, number: i + 1, style: style)
        }
        if !r.skipped.isEmpty {
            out += ["", style.bold("Skipped rules (could not judge this snapshot)")]
            let width = r.skipped.map(\.rule.count).max() ?? 0
            for skip in r.skipped {
                out.append("  " + skip.rule.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + skip.reason)
            }
        }
        if !r.disabled.isEmpty {
            out += ["", "Disabled by configuration: " + r.disabled.joined(separator: ", ")]
        }
        if !r.suppressed.isEmpty {
            out += ["", style.bold("Suppressed findings (not ranked above, not counted by --fail-on)")]
            for item in r.suppressed {
                let f = item.finding
                out.append("  \(f.severity.rawValue) \(f.target.display)  [\(f.rule)]: " + AuditRenderer.suppressionNote(item.suppression))
            }
        }
        let sources = SummaryRenderer.textSources(report.summary)
        if !sources.isEmpty { out += [""] + sources.enumerated().map { $0.offset == 0 ? style.bold($0.element) : $0.element } }
        out += ["", style.bold("Overview")]
        out += SummaryRenderer.textOverview(report.summary)
        return out.joined(separator: "\n") + "\n"
    }

    static func finding(_ f: Finding, number: Int, style: TextStyle) -> [String] {
        var out: [String] = []
        let label = f.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
        out.append("\(String(number).leftPadded(to: 3)). \(style.severity(f.severity, label)) \(style.bold(f.target.display))  [\(f.rule)]")
        let indent = "     "
        out.append(indent + f.message)
        for link in f.fixedBy { out.append(indent + "fixed by: " + style.bold(link.display)) }
        let (numbers, texts) = split(f.evidence)
        if !numbers.isEmpty {
            out.append(indent + "evidence: " + numbers.map { "\($0.label) \(AuditRenderer.display($0.value))" }.joined(separator: " · "))
        }
        for item in texts {
            out.append(indent + "\(item.label): " + Format.oneLine(AuditRenderer.display(item.value), limit: 160))
        }
        if !f.impact.summary.isEmpty { out.append(indent + "impact: \(f.impact.summary)") }
        for remediation in f.remediations {
            let sql = RemediationSQL.sql(remediation)
            if sql.isEmpty {
                out.append(indent + "then: " + RemediationSQL.summary(remediation))
            } else {
                out.append(indent + "fix:  " + style.sql(sql))
                if case .alterSystem(_, _, true) = remediation { out.append(indent + "      (takes effect after a restart)") }
            }
        }
        for note in f.notes { out.append(indent + "note: " + note) }
        return out
    }

    /// Evidence that reads on one line (numbers) and evidence that needs its own (statements, definitions).
    static func split(_ evidence: [Evidence]) -> ([Evidence], [Evidence]) {
        var numbers: [Evidence] = []
        var texts: [Evidence] = []
        for item in evidence {
            switch item.value {
            case .text(let t) where t.count > 40 || t.contains(" "): texts.append(item)
            case .list(let l) where l.joined(separator: ", ").count > 60: texts.append(item)
            default: numbers.append(item)
            }
        }
        return (numbers, texts)
    }
}
