import Core
import Model
import Planner

/// The audit report as one self-contained HTML page (`audit --format html`): a summary with
/// the counts and three charts (where the time goes, index size against scans, bloat), the
/// ranked findings with their evidence and SQL, the rules that could not judge, and the
/// overview tables. Built with the toolkit in `Render/HTML/`; nothing is fetched.
enum AuditHTMLRenderer {
    static func render(_ report: AuditReport) -> String {
        let database = report.snapshot.server.database
        var body: [HTML] = [.element("h1", text: "pgadvisor audit — \(database)"), header(report.summary, configFile: report.configFile)]
        body += summary(report)
        body += findings(report.result)
        body += skipped(report)
        body += overview(report.summary)
        return HTMLPage(title: "pgadvisor audit — \(database)", body: body).render()
    }

    /// Server, database, collection time, the configuration file read, sizes.
    static func header(_ s: SnapshotSummary, configFile: String? = nil) -> HTML {
        var rows: [(String, String)] = [
            ("Server", "PostgreSQL \(s.server.version)\(s.server.inRecovery ? " (standby)" : "")"),
            ("Database", "\(s.server.database) as \(s.server.role) (visibility: \(s.server.visibility))"),
            ("Collected", s.server.collectedAt.description),
        ]
        if let reset = s.server.statsResetAt { rows.append(("Statistics since", reset.description)) }
        if let configFile { rows.append(("Configuration", configFile)) }
        rows.append(("Sizes", String(SummaryRenderer.sizesLine(s.sizes).dropFirst(12))))
        return .element("table", ["class": "facts"], [.element("tbody", rows.map { label, value in
            .element("tr", [.element("th", text: label), .element("td", text: value)])
        })])
    }

    /// The counts by severity as cards, the counts line, and the charts.
    static func summary(_ report: AuditReport) -> [HTML] {
        let r = report.result
        var cards = Severity.allCases.reversed().map { severity in
            HTMLStyle.card(String(r.count(severity)), "\(severity.rawValue) finding\(r.count(severity) == 1 ? "" : "s")",
                           kind: severity.rawValue)
        }
        cards.append(HTMLStyle.card(String(r.evaluated.count), "rules run"))
        if !r.skipped.isEmpty { cards.append(HTMLStyle.card(String(r.skipped.count), "rules skipped")) }
        if !r.suppressed.isEmpty { cards.append(HTMLStyle.card(String(r.suppressed.count), "suppressed")) }
        var out: [HTML] = [
            .element("h2", ["id": "summary"], text: "Summary"),
            .element("div", ["class": "cards"], cards),
            .element("p", [.element("strong", text: AuditRenderer.countsLine(r))]),
        ]
        if let line = AuditRenderer.suppressedLine(r) { out.append(.element("p", text: line)) }
        out += r.expiredSuppressions.map { .element("p", [.element("strong", text: AuditRenderer.expiredLine($0))]) }
        out += charts(report)
        return out
    }

    /// The findings in rank order: a short table, then one block each.
    static func findings(_ r: AuditResult) -> [HTML] {
        guard !r.findings.isEmpty else { return [.element("h2", ["id": "findings"], text: "Findings"), .element("p", text: "No findings.")] }
        var table = HTMLTable(headers: ["#", "severity", "rule", "target", "impact"], numeric: [0])
        for (i, f) in r.findings.enumerated() {
            table.rows.append([
                .element("a", ["href": "#finding-\(i + 1)"], text: String(i + 1)), HTMLStyle.badge(f.severity.rawValue),
                .element("code", ["class": "id"], text: f.rule), .element("code", text: f.target.display), .text(f.impact.summary),
            ])
        }
        return [.element("h2", ["id": "findings"], text: "Findings"), table.html]
            + r.findings.enumerated().map { finding($0.element, number: $0.offset + 1) }
    }

    /// One finding: what, the numbers, the fix as SQL, what to do by hand, the caveats.
    static func finding(_ f: Finding, number: Int) -> HTML {
        var parts: [HTML] = [
            .element("h3", [
                .text("\(number). "), HTMLStyle.badge(f.severity.rawValue), .text(" "),
                .element("code", text: f.target.display), .text(" "), .element("span", ["class": "rule"], text: "[\(f.rule)]"),
            ]),
            .element("p", text: f.message),
        ]
        for link in f.fixedBy { parts.append(.element("p", [.text("Fixed by: "), .element("code", text: link.display)])) }
        if !f.evidence.isEmpty {
            var evidence = HTMLTable(headers: ["evidence", "value"], className: "evidence")
            for item in f.evidence { evidence.append(text: [item.label, AuditRenderer.display(item.value)]) }
            parts.append(evidence.html)
        }
        if !f.impact.summary.isEmpty { parts.append(.element("p", [.element("strong", text: "Impact: "), .text(f.impact.summary)])) }
        let sql = f.remediations.map(RemediationSQL.sql).filter { !$0.isEmpty }
        if !sql.isEmpty { parts.append(.element("pre", [.element("code", text: sql.joined(separator: "\n"))])) }
        let manual = f.remediations.filter { RemediationSQL.sql($0).isEmpty }.map(RemediationSQL.summary)
        if !manual.isEmpty { parts.append(list("Then:", manual)) }
        if !f.notes.isEmpty { parts.append(list("Notes:", f.notes)) }
        if let page = RuleRegistry.rule(id: f.rule)?.description.manual {
            parts.append(.element("p", ["class": "muted"], [.text("PostgreSQL manual: "), HTMLStyle.url(page)]))
        }
        return .element("section", attributes: [("class", "finding finding-\(f.severity.rawValue)"), ("id", "finding-\(number)")], parts)
    }

    static func list(_ title: String, _ items: [String]) -> HTML {
        .element("div", [.element("strong", text: title), .element("ul", items.map { .element("li", text: $0) })])
    }

    /// Rules that could not judge this snapshot, rules turned off, sources not collected.
    static func skipped(_ report: AuditReport) -> [HTML] {
        let r = report.result
        var out: [HTML] = []
        if !r.skipped.isEmpty {
            var table = HTMLTable(headers: ["rule", "reason"])
            for skip in r.skipped { table.rows.append([.element("code", ["class": "id"], text: skip.rule), .text(skip.reason)]) }
            out += [.element("h2", ["id": "skipped"], text: "Skipped rules (could not judge this snapshot)"), table.html]
        }
        if !r.disabled.isEmpty {
            out.append(.element("p", text: "Disabled by configuration: " + r.disabled.joined(separator: ", ")))
        }
        if !r.suppressed.isEmpty {
            var table = HTMLTable(headers: ["severity", "rule", "target", "reason"])
            for item in r.suppressed {
                table.rows.append([
                    HTMLStyle.badge(item.finding.severity.rawValue), .element("code", ["class": "id"], text: item.finding.rule),
                    .element("code", text: item.finding.target.display), .text(AuditRenderer.suppressionNote(item.suppression)),
                ])
            }
            out += [.element("h2", ["id": "suppressed"], text: "Suppressed findings"), table.html]
        }
        let sources = report.summary.skipped
        if !sources.isEmpty {
            var table = HTMLTable(headers: ["source", "state", "reason", "fix"])
            for s in sources { table.append(text: [s.source, s.state, s.reason, s.fix ?? ""]) }
            out += [.element("h2", ["id": "sources"], text: "Not fully collected"), table.html]
        }
        return out
    }
}
