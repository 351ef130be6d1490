import Core

/// The review as one self-contained HTML page (the shared toolkit in Render/HTML): verdict
/// counts, the planned queries by estimated cost, a table of every statement, then the reasons
/// of each statement that did not pass, with its fix.
enum ReviewHTMLRenderer {
    static func render(_ report: ReviewReport) -> String {
        var body: [HTML] = [
            .element("h1", text: "pgadvisor review"),
            .element("p", ["class": "muted"], text: "\(report.target) — \(ReviewRenderer.summary(report))"),
            .element("div", ["class": "cards"], [
                HTMLStyle.card(String(report.count(.fail)), "fail", kind: kind(.fail)),
                HTMLStyle.card(String(report.count(.warning)), "warning", kind: kind(.warning)),
                HTMLStyle.card(String(report.count(.pass)), "pass", kind: kind(.pass)),
            ]),
        ]
        if let chart = costChart(report) { body.append(chart) }
        body += [.element("h2", text: "Statements"), table(report)]
        let flagged = report.statements.filter { !$0.findings.isEmpty || !$0.notes.isEmpty }
        if !flagged.isEmpty {
            body.append(.element("h2", text: "Reasons"))
            body += flagged.map(block)
        }
        if !report.notes.isEmpty {
            body += [.element("h2", text: "Notes"), .element("ul", report.notes.map { .element("li", text: $0) })]
        }
        return HTMLPage(title: "pgadvisor review — \(report.target)", body: body).render()
    }

    /// The severity class a verdict is drawn with.
    private static func kind(_ verdict: ReviewVerdict) -> String {
        switch verdict {
        case .fail: "critical"
        case .warning: "warning"
        case .pass: "info"
        }
    }

    private static func badge(_ verdict: ReviewVerdict) -> HTML {
        HTMLStyle.badge(kind(verdict), label: verdict.rawValue)
    }

    /// The planned queries, most expensive first (at most 15); flagged ones highlighted.
    private static func costChart(_ report: ReviewReport) -> HTML? {
        let planned = report.statements.filter { $0.plan != nil }
            .sorted { ($0.plan?.totalCost ?? 0) > ($1.plan?.totalCost ?? 0) }.prefix(15)
        guard planned.count > 1 else { return nil }
        let bars = planned.map { s in
            SVGBarChart.Bar(label: "\(s.location) \(ReviewRenderer.excerpt(s))", value: s.plan?.totalCost ?? 0,
                            valueText: Format.decimal(s.plan?.totalCost ?? 0), highlighted: s.verdict != .pass,
                            note: s.verdict == .pass ? nil : s.verdict.rawValue)
        }
        return SVGBarChart(title: "Planned statements by estimated cost", bars: Array(bars))
            .figure(caption: "Estimated total cost of each planned statement (EXPLAIN); highlighted: not a pass.")
    }

    private static func table(_ report: ReviewReport) -> HTML {
        var table = HTMLTable(headers: ["verdict", "location", "statement", "plan", "checks"])
        for s in report.statements {
            table.rows.append([
                badge(s.verdict), .element("code", ["class": "id"], text: s.location),
                .element("code", text: ReviewRenderer.excerpt(s, limit: 90)), .text(ReviewRenderer.planSummary(s) ?? ""),
                HTML.join(s.findings.map { .element("code", ["class": "id"], text: $0.check) }, separator: " "),
            ])
        }
        return table.html
    }

    private static func block(_ s: StatementReview) -> HTML {
        var items: [HTML] = s.findings.map { finding in
            var parts: [HTML] = [badge(finding.verdict), .text(" "), .element("code", ["class": "id"], text: finding.check),
                                 .text(": " + finding.message)]
            if let fix = finding.fix {
                parts.append(fix.hasSuffix(";") ? .element("pre", text: fix) : .element("p", ["class": "muted"], text: "Fix: " + fix))
            }
            return .element("li", parts)
        }
        items += s.notes.map { .element("li", ["class": "muted"], text: "Note: " + $0) }
        return .element("div", attributes: [("class", "finding finding-\(kind(s.verdict))")], [
            .element("h3", [badge(s.verdict), .text(" " + s.location)]),
            .element("pre", text: s.text),
            .element("ul", items),
        ])
    }
}
