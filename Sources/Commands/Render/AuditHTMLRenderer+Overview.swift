import Core
import Model

extension AuditHTMLRenderer {
    /// The overview tables: largest tables, top and most frequent statements, index usage.
    static func overview(_ s: SnapshotSummary) -> [HTML] {
        var out: [HTML] = [.element("h2", ["id": "overview"], text: "Overview")]
        if !s.sizes.largestTables.isEmpty {
            var table = HTMLTable(headers: ["table", "total", "heap+toast", "indexes", "rows", "measured"], numeric: [1, 2, 3, 4])
            for t in s.sizes.largestTables {
                table.rows.append([
                    .element("code", text: SQLQuoting.qualified(t.table)), .text(Format.bytes(t.totalBytes)),
                    .text(Format.bytes(t.tableBytes)), .text(Format.bytes(t.indexBytes)), .text(Format.rows(t.estimatedRows)),
                    .text(t.measured ? "yes" : "estimated"),
                ])
            }
            out += [.element("h3", text: "Largest tables"), table.html]
        }
        out += statements(s)
        if !s.indexUsage.isEmpty {
            var table = HTMLTable(headers: ["index", "table", "method", "scans", "tuples read", "tuples fetched", "size"],
                                  numeric: [3, 4, 5, 6])
            for u in s.indexUsage {
                table.rows.append([
                    .element("code", text: SQLQuoting.qualified(u.index)), .element("code", text: SQLQuoting.qualified(u.table)),
                    .text(u.method), .text(Format.count(u.scans)), .text(Format.count(u.tuplesRead)),
                    .text(Format.count(u.tuplesFetched)), .text(Format.bytes(u.sizeBytes)),
                ])
            }
            out += [.element("h3", text: "Index usage (by scans)"), table.html]
        }
        return out
    }

    /// The statements that take the time and the ones run most often.
    static func statements(_ s: SnapshotSummary) -> [HTML] {
        guard s.statements.available else {
            return [.element("h3", text: "Top statements"), .element("p", text: "pg_stat_statements is not available (see above).")]
        }
        var top = HTMLTable(headers: ["#", "share", "total", "calls", "mean", "rows/call", "hit", "query"], numeric: [0, 1, 2, 3, 4, 5, 6])
        for (i, q) in s.statements.top.enumerated() {
            top.rows.append([
                .text(String(i + 1)), .text(Format.percent(q.share)), .text(Format.duration(ms: q.totalExecTime)),
                .text(Format.count(q.calls)), .text(Format.duration(ms: q.meanExecTime)), .text(Format.decimal(q.rowsPerCall)),
                .text(q.sharedHitRatio.map { Format.percent($0) } ?? "-"), .element("code", text: Format.oneLine(q.query, limit: 400)),
            ])
        }
        var out: [HTML] = [
            .element("h3", text: "Top statements by total execution time"),
            .element("p", text: "\(Format.count(s.statements.count)) statements, \(Format.count(s.statements.totalCalls)) calls, "
                + "\(Format.duration(ms: s.statements.totalExecTime)) in all."),
            s.statements.top.isEmpty ? .element("p", text: "No statements recorded yet.") : top.html,
        ]
        if !s.statements.frequent.isEmpty {
            var frequent = HTMLTable(headers: ["#", "calls", "mean", "total", "share", "rows/call", "query"], numeric: [0, 1, 2, 3, 4, 5])
            for (i, q) in s.statements.frequent.enumerated() {
                frequent.rows.append([
                    .text(String(i + 1)), .text(Format.count(q.calls)), .text(Format.duration(ms: q.meanExecTime)),
                    .text(Format.duration(ms: q.totalExecTime)), .text(Format.percent(q.share)), .text(Format.decimal(q.rowsPerCall)),
                    .element("code", text: Format.oneLine(q.query, limit: 400)),
                ])
            }
            out += [.element("h3", text: "Most frequent statements (by calls)"), frequent.html]
        }
        return out
    }
}
