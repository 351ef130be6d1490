import Core
import Model
import Planner

/// The audit report as Markdown: a findings table, then one section per finding with its
/// evidence table and fix as a SQL block.
enum AuditMarkdownRenderer {
    static func render(_ report: AuditReport) -> String {
        let r = report.result
        var out = ["# pgadvisor audit — \(SummaryRenderer.markdownCell(report.snapshot.server.database))", ""]
        var header = SummaryRenderer.markdownHeader(report.summary)
        if let config = report.configFile {
            header.insert("| Configuration | `\(SummaryRenderer.markdownCell(config))` |", at: header.count - 1)
        }
        out += header
        out += ["**\(AuditRenderer.countsLine(r))**", ""]
        if let line = AuditRenderer.suppressedLine(r) { out += [line, ""] }
        if !r.expiredSuppressions.isEmpty {
            out += r.expiredSuppressions.map { "> **\(SummaryRenderer.markdownCell(AuditRenderer.expiredLine($0)))**" } + [""]
        }
        if !r.findings.isEmpty {
            out += ["## Findings", ""]
            out.append("| # | severity | rule | target | impact |")
            out.append("|---:|---|---|---|---|")
            for (i, f) in r.findings.enumerated() {
                out.append("| \(i + 1) | \(f.severity.rawValue) | \(f.rule) | `\(SummaryRenderer.markdownCell(f.target.display))` | "
                    + "\(SummaryRenderer.markdownCell(f.impact.summary)) |")
            }
            for (i, f) in r.findings.enumerated() {
                out += ["", "### \(i + 1). \(f.severity.rawValue.uppercased()) · \(f.rule) · `\(f.target.display)`", ""]
                out.append(f.message)
                out.append("")
                if !f.fixedBy.isEmpty { out += f.fixedBy.map { "Fixed by: `\($0.display)`" } + [""] }
                out.append("| evidence | value |")
                out.append("|---|---|")
                for item in f.evidence {
                    out.append("| \(item.label) | \(SummaryRenderer.markdownCell(Format.oneLine(AuditRenderer.display(item.value), limit: 300))) |")
                }
                let sql = f.remediations.map(RemediationSQL.sql).filter { !$0.isEmpty }
                if !sql.isEmpty { out += ["", "```sql"] + sql + ["```"] }
                let manual = f.remediations.filter { RemediationSQL.sql($0).isEmpty }.map(RemediationSQL.summary)
                if !manual.isEmpty { out.append(""); out += manual.map { "- Then: \($0)" } }
                if !f.notes.isEmpty { out.append(""); out += f.notes.map { "> \($0)" } }
            }
        }
        if !r.skipped.isEmpty {
            out += ["", "## Skipped rules", "", "| rule | reason |", "|---|---|"]
            out += r.skipped.map { "| \($0.rule) | \(SummaryRenderer.markdownCell($0.reason)) |" }
        }
        if !r.disabled.isEmpty { out += ["", "Disabled by configuration: " + r.disabled.joined(separator: ", ")] }
        if !r.suppressed.isEmpty {
            out += ["", "## Suppressed findings", "", "| severity | rule | target | reason |", "|---|---|---|---|"]
            out += r.suppressed.map {
                "| \($0.finding.severity.rawValue) | \($0.finding.rule) | `\(SummaryRenderer.markdownCell($0.finding.target.display))` | "
                    + "\(SummaryRenderer.markdownCell(AuditRenderer.suppressionNote($0.suppression))) |"
            }
        }
        let sources = SummaryRenderer.markdownSources(report.summary, level: "##")
        if !sources.isEmpty { out += [""] + sources }
        out += ["", "## Overview", ""]
        out += SummaryRenderer.markdownOverview(report.summary, level: "###")
        return out.joined(separator: "\n") + "\n"
    }
}
