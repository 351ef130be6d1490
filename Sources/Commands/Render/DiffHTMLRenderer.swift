import Core
import Model

/// The diff report as one self-contained HTML page (`diff --format html`): the two sides, the
/// statistics resets and what they change, the counts as cards, charts of the time regressed
/// statements added and of the tables that grew, then one table per section. Built with the
/// toolkit in `Render/HTML/`; nothing is fetched.
enum DiffHTMLRenderer {
    static func render(_ report: DiffReport) -> String {
        let d = report.diff
        let title = "pgadvisor diff — \(d.new.database)"
        var body: [HTML] = [.element("h1", text: title), sides(report)]
        body += resets(d)
        body += summary(d)
        body += charts(d)
        for section in DiffSections.all(d, messageLimit: .max) {
            var table = HTMLTable(headers: section.headers, numeric: section.numeric)
            table.rows = section.rows.map { row in
                row.enumerated().map { i, cell in section.identifiers.contains(i) ? .element("code", ["class": "id"], text: cell) : .text(cell) }
            }
            body.append(.element("h2", text: section.title))
            body += section.notes.map { .element("p", text: $0) }
            body.append(table.html)
        }
        return HTMLPage(title: title, body: body).render()
    }

    /// OLD, NEW and the window as a label/value table.
    static func sides(_ report: DiffReport) -> HTML {
        .element("table", ["class": "facts"], [.element("tbody", DiffRenderer.sideLines(report).map { label, value in
            .element("tr", [.element("th", text: label), .element("td", text: value)])
        })])
    }

    static func resets(_ d: SnapshotDiff) -> [HTML] {
        let lines = DiffRenderer.resetLines(d) + d.caveats
        guard !lines.isEmpty else { return [] }
        return [.element("h2", ["id": "resets"], text: "Statistics resets and what they change"),
                .element("ul", lines.map { .element("li", text: $0) })]
    }

    /// The counts as cards (new findings in their highest severity's colour), and the counts line.
    static func summary(_ d: SnapshotDiff) -> [HTML] {
        let f = d.findings
        let cards = [
            HTMLStyle.card(String(f.new.count), "new findings", kind: f.new.map(\.finding.severity).max()?.rawValue),
            HTMLStyle.card(String(f.resolved.count), "resolved"),
            HTMLStyle.card(String(d.regressions.count), "statements regressed", kind: d.regressions.isEmpty ? nil : Severity.warning.rawValue),
            HTMLStyle.card(String(d.newStatements.count), "new heavy statements"),
            HTMLStyle.card(String(d.indexes.filter { $0.kind == .becameUnused }.count), "indexes became unused"),
            HTMLStyle.card(String(d.settings.count), "settings changed"),
        ]
        return [.element("h2", ["id": "summary"], text: "Summary"), .element("div", ["class": "cards"], cards),
                .element("p", [.element("strong", text: DiffRenderer.countsLine(d))])]
    }

    /// Time added by the regressed statements, and the tables' growth.
    static func charts(_ d: SnapshotDiff) -> [HTML] {
        var out: [HTML] = []
        if !d.regressions.isEmpty {
            let bars = d.regressions.prefix(10).map { c in
                SVGBarChart.Bar(label: DiffSections.statement(c), value: max(0, c.addedMs),
                                valueText: "+\(Format.duration(ms: c.addedMs)) (\(c.slowdown.map(DiffSections.change) ?? "-"))")
            }
            out.append(SVGBarChart(title: "Time added by regressed statements", bars: bars)
                .figure(caption: "Calls over the window × (mean now − OLD's mean); the change of mean in brackets."))
        }
        if !d.tableGrowth.isEmpty {
            let bars = d.tableGrowth.map { c in
                SVGBarChart.Bar(label: c.relation.map(SQLQuoting.qualified) ?? "", value: Double(c.deltaBytes),
                                valueText: "+\(Format.bytes(c.deltaBytes))" + (c.oldBytes == nil ? " (new)" : ""), highlighted: c.oldBytes == nil, note: "new")
            }
            out.append(SVGBarChart(title: "Tables that grew most", bars: bars).figure(caption: "Growth between the snapshots (table and TOAST)."))
        }
        return out
    }
}
