import Core
import Model

extension AuditHTMLRenderer {
    /// How many bars the time and bloat charts show, and how many indexes the scatter plots.
    static let chartBars = 10
    static let chartIndexes = 400

    /// The summary's charts, each left out when the snapshot has nothing to draw.
    static func charts(_ report: AuditReport) -> [HTML] {
        [statementChart(report.summary), indexChart(report), bloatChart(report)].compactMap { $0 }
    }

    /// Top statements by total execution time, with their share of all of it.
    static func statementChart(_ s: SnapshotSummary) -> HTML? {
        guard s.statements.available, !s.statements.top.isEmpty else { return nil }
        let bars = s.statements.top.prefix(chartBars).enumerated().map { i, q in
            SVGBarChart.Bar(label: "\(i + 1). " + Format.oneLine(q.query, limit: 300), value: q.totalExecTime,
                            valueText: "\(Format.duration(ms: q.totalExecTime)) · \(Format.percent(q.share)) · \(Format.count(q.calls)) calls")
        }
        let chart = SVGBarChart(title: "Top statements by total execution time", bars: Array(bars))
        return .element("section", [
            .element("h3", text: "Where the time goes"),
            chart.figure(caption: "Top statements by total execution time (share of all top-level statements' time); "
                + "the full text is in the overview below."),
        ])
    }

    /// Every index's size against its scans; the ones an unused-index finding names are numbered
    /// squares, listed under the chart.
    static func indexChart(_ report: AuditReport) -> HTML? {
        let snapshot = report.snapshot
        guard !snapshot.indexes.isEmpty else { return nil }
        let unused = Set(report.result.findings.filter { $0.rule == "unused-index" }.map(\.target.display))
        let blockSize = Int64(snapshot.server.blockSize)
        let sized = snapshot.indexes.map { index in
            (index: index, bytes: index.size?.bytes ?? index.pages * blockSize)
        }.sorted { ($0.bytes, $1.index.qualifiedName) > ($1.bytes, $0.index.qualifiedName) }.prefix(chartIndexes)
        let flagged = sized.filter { unused.contains(SQLQuoting.qualified($0.index.qualifiedName)) }
        let points = sized.map { entry in
            SVGScatterChart.Point(
                x: Double(entry.index.scans), y: Double(entry.bytes),
                tooltip: "\(SQLQuoting.qualified(entry.index.qualifiedName)): \(Format.count(entry.index.scans)) scans, \(Format.bytes(entry.bytes))",
                highlighted: unused.contains(SQLQuoting.qualified(entry.index.qualifiedName)))
        }
        let bytes = sized.map { Double($0.bytes) }
        let chart = SVGScatterChart(
            title: "Index size against scans",
            x: .counts(upTo: Double(sized.map(\.index.scans).max() ?? 0), title: "scans since statistics were reset (log)"),
            y: .bytes(from: bytes.min() ?? 8192, to: bytes.max() ?? 8192, title: "size (log)"),
            points: Array(points))
        var parts: [HTML] = [
            .element("h3", text: "Index size against scans"),
            chart.figure(caption: flagged.isEmpty
                ? "Each circle is an index (the \(points.count) largest). No index is reported unused."
                : "Each circle is an index (the \(points.count) largest); numbered squares are the unused indexes the findings name, listed below."),
        ]
        if !flagged.isEmpty {
            var table = HTMLTable(headers: ["#", "index", "table", "size", "scans"], numeric: [0, 3, 4])
            for (i, entry) in flagged.enumerated() {
                table.rows.append([
                    .text(String(i + 1)), .element("code", text: SQLQuoting.qualified(entry.index.qualifiedName)),
                    .element("code", text: SQLQuoting.qualified(entry.index.table)), .text(Format.bytes(entry.bytes)),
                    .text(Format.count(entry.index.scans)),
                ])
            }
            parts.append(table.html)
        }
        return .element("section", parts)
    }

    /// The tables with the most wasted space (measured, or estimated from planner statistics);
    /// the ones a table-bloat finding names are highlighted.
    static func bloatChart(_ report: AuditReport) -> HTML? {
        let snapshot = report.snapshot
        let facts = SnapshotFacts(snapshot)
        let flagged = Set(report.result.findings.filter { $0.rule == "table-bloat" }.map(\.target.display))
        let estimates = snapshot.tables.compactMap { table -> (TableInfo, HeapBloatEstimate)? in
            guard table.kind != .partitioned,
                  let estimate = HeapBloatEstimate.assess(table, facts: facts, blockSize: snapshot.server.blockSize).estimate,
                  estimate.wastedBytes > 0 else { return nil }
            return (table, estimate)
        }.sorted { ($0.1.wastedBytes, $1.0.qualifiedName) > ($1.1.wastedBytes, $0.0.qualifiedName) }.prefix(chartBars)
        guard !estimates.isEmpty else { return nil }
        let bars = estimates.map { table, estimate in
            let name = SQLQuoting.qualified(table.qualifiedName)
            return SVGBarChart.Bar(
                label: name, value: Double(estimate.wastedBytes),
                valueText: "\(Format.bytes(estimate.wastedBytes)) · \(Format.percent(estimate.ratio)) of \(Format.bytes(estimate.actualBytes))"
                    + (estimate.method == .statistical ? "" : " (measured)"),
                highlighted: flagged.contains(name), note: "table-bloat")
        }
        let chart = SVGBarChart(title: "Estimated wasted space by table", bars: Array(bars))
        return .element("section", [
            .element("h3", text: "Bloat"),
            chart.figure(caption: "Tables by wasted space: measured by pgstattuple_approx where collected with --exact, "
                + "otherwise estimated from planner statistics (often off by ±20 %). Highlighted: reported by table-bloat."),
        ])
    }
}
