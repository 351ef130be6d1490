import Core
import Foundation
import Model


/// Prints a `SnapshotSummary` as text, Markdown or JSON.
enum SummaryRenderer {
    static func render(_ summary: SnapshotSummary, as format: OutputFormat) throws -> String {
        switch format {
        case .text: return text(summary)
        case .markdown: return markdown(summary)
        case .json: return try JSONOutput.encode(summary)
        case .html, .junit, .github: throw OutputFormat.Unsupported(format: format)
        }
    }

    static func text(_ s: SnapshotSummary) -> String {
        var out = ["pgadvisor audit — \(s.server.database)", ""]
        out += textHeader(s)
        out.append("")
        out += textOverview(s)
        let sources = textSources(s)
        if !sources.isEmpty { out += [""] + sources }
        return out.joined(separator: "\n") + "\n"
    }

    /// Server, database, collection time and sizes: one line each.
    static func textHeader(_ s: SnapshotSummary) -> [String] {
        var out: [String] = []
        out.append("Server      PostgreSQL \(s.server.version)\(s.server.inRecovery ? " (standby)" : "")")
        out.append("Database    \(s.server.database) as \(s.server.role) (visibility: \(s.server.visibility))")
        out.append("Collected   \(s.server.collectedAt)")
        if let reset = s.server.statsResetAt { out.append("Stats since \(reset)") }
        out.append(sizesLine(s.sizes))
        return out
    }

    /// The largest tables and the statements that take the time.
    static func textOverview(_ s: SnapshotSummary) -> [String] {
        var out: [String] = []
        if !s.sizes.largestTables.isEmpty {
            var table = TextTable(headers: ["table", "total", "heap+toast", "indexes", "rows"],
                                  alignments: [.left, .right, .right, .right, .right])
            for t in s.sizes.largestTables {
                table.rows.append([
                    SQLQuoting.qualified(t.table) + (t.measured ? "" : " *"), Format.bytes(t.totalBytes), Format.bytes(t.tableBytes),
                    Format.bytes(t.indexBytes), Format.rows(t.estimatedRows),
                ])
            }
            out.append(table.render())
            if s.sizes.largestTables.contains(where: { !$0.measured }) {
                out.append("  * size estimated from pg_class.relpages (relation locked by another session)")
            }
        }
        out.append("")
        if s.statements.available {
            out.append("Top statements by total execution time: \(Format.count(s.statements.count)) statements, "
                + "\(Format.count(s.statements.totalCalls)) calls, \(Format.duration(ms: s.statements.totalExecTime)) in all")
            var table = TextTable(headers: ["#", "share", "total", "calls", "mean", "rows/call", "hit", "query"],
                                  alignments: [.right, .right, .right, .right, .right, .right, .right, .left])
            for (i, q) in s.statements.top.enumerated() {
                table.rows.append([
                    String(i + 1), Format.percent(q.share), Format.duration(ms: q.totalExecTime), Format.count(q.calls),
                    Format.duration(ms: q.meanExecTime), Format.decimal(q.rowsPerCall),
                    q.sharedHitRatio.map { Format.percent($0) } ?? "-", Format.oneLine(q.query, limit: 90),
                ])
            }
            out.append(s.statements.top.isEmpty ? "  (no statements recorded yet)" : table.render())
        } else {
            out.append("Top statements: pg_stat_statements is not available (see below)")
        }
        out += textFrequent(s)
        out += textIndexUsage(s)
        return out
    }

    /// The statements run most often, by calls.
    static func textFrequent(_ s: SnapshotSummary) -> [String] {
        guard s.statements.available, !s.statements.frequent.isEmpty else { return [] }
        var table = TextTable(headers: ["#", "calls", "mean", "total", "share", "rows/call", "query"],
                              alignments: [.right, .right, .right, .right, .right, .right, .left])
        for (i, q) in s.statements.frequent.enumerated() {
            table.rows.append([
                String(i + 1), Format.count(q.calls), Format.duration(ms: q.meanExecTime), Format.duration(ms: q.totalExecTime),
                Format.percent(q.share), Format.decimal(q.rowsPerCall), Format.oneLine(q.query, limit: 90),
            ])
        }
        return ["", "Most frequent statements (by calls)", table.render()]
    }

    /// Each index's scans, tuples read and fetched, and size, by scans.
    static func textIndexUsage(_ s: SnapshotSummary) -> [String] {
        guard !s.indexUsage.isEmpty else { return [] }
        var table = TextTable(headers: ["index", "table", "scans", "tuples read", "tuples fetched", "size"],
                              alignments: [.left, .left, .right, .right, .right, .right])
        for u in s.indexUsage {
            table.rows.append([
                SQLQuoting.qualified(u.index) + (u.method == "btree" ? "" : " (\(u.method))"), SQLQuoting.qualified(u.table),
                Format.count(u.scans), Format.count(u.tuplesRead), Format.count(u.tuplesFetched), Format.bytes(u.sizeBytes),
            ])
        }
        return ["", "Index usage (by scans)", table.render()]
    }

    /// Sources that were not fully collected, with the fix.
    static func textSources(_ s: SnapshotSummary) -> [String] {
        var out: [String] = []
        if !s.skipped.isEmpty {
            out.append("Not fully collected")
            for skip in s.skipped {
                out.append("  \(skip.source) (\(skip.state)): \(skip.reason)")
                if let fix = skip.fix { out.append("    fix: \(fix)") }
            }
        }
        return out
    }

    static func sizesLine(_ sizes: SnapshotSummary.Sizes) -> String {
        var parts: [String] = []
        if let db = sizes.databaseBytes { parts.append("database \(Format.bytes(db))") }
        parts.append("\(sizes.tables) tables \(Format.bytes(sizes.tableBytes))")
        parts.append("\(sizes.indexes) indexes \(Format.bytes(sizes.indexBytes))")
        return "Sizes       " + parts.joined(separator: ", ") + (sizes.allMeasured ? "" : " (some estimated)")
    }

    static func markdown(_ s: SnapshotSummary) -> String {
        var out = ["# pgadvisor audit — \(s.server.database)", ""]
        out += markdownHeader(s)
        out += markdownOverview(s, level: "##")
        let sources = markdownSources(s, level: "##")
        if !sources.isEmpty { out += [""] + sources }
        return out.joined(separator: "\n") + "\n"
    }

    static func markdownHeader(_ s: SnapshotSummary) -> [String] {
        var out: [String] = []
        out.append("| | |")
        out.append("|---|---|")
        out.append("| Server | PostgreSQL \(markdownCell(s.server.version))\(s.server.inRecovery ? " (standby)" : "") |")
        out.append("| Database | \(markdownCell(s.server.database)) as \(markdownCell(s.server.role)) "
            + "(visibility: \(s.server.visibility)) |")
        out.append("| Collected | \(s.server.collectedAt) |")
        if let reset = s.server.statsResetAt { out.append("| Statistics since | \(reset) |") }
        out.append("| Sizes | \(sizesLine(s.sizes).dropFirst(12)) |")
        out.append("")
        return out
    }

    static func markdownOverview(_ s: SnapshotSummary, level: String) -> [String] {
        var out: [String] = []
        if !s.sizes.largestTables.isEmpty {
            out.append("\(level) Largest tables")
            out.append("")
            out.append("| table | total | heap+toast | indexes | rows | measured |")
            out.append("|---|---:|---:|---:|---:|---|")
            for t in s.sizes.largestTables {
                out.append("| \(markdownCell(SQLQuoting.qualified(t.table))) | \(Format.bytes(t.totalBytes)) | "
                    + "\(Format.bytes(t.tableBytes)) | \(Format.bytes(t.indexBytes)) | \(Format.rows(t.estimatedRows)) | "
                    + "\(t.measured ? "yes" : "estimated") |")
            }
            out.append("")
        }
        out.append("\(level) Top statements by total execution time")
        out.append("")
        if s.statements.available {
            out.append("\(Format.count(s.statements.count)) statements, \(Format.count(s.statements.totalCalls)) calls, "
                + "\(Format.duration(ms: s.statements.totalExecTime)) in all.")
            out.append("")
            out.append("| # | share | total | calls | mean | rows/call | hit | query |")
            out.append("|---:|---:|---:|---:|---:|---:|---:|---|")
            for (i, q) in s.statements.top.enumerated() {
                out.append("| \(i + 1) | \(Format.percent(q.share)) | \(Format.duration(ms: q.totalExecTime)) | "
                    + "\(Format.count(q.calls)) | \(Format.duration(ms: q.meanExecTime)) | \(Format.decimal(q.rowsPerCall)) | "
                    + "\(q.sharedHitRatio.map { Format.percent($0) } ?? "-") | `\(markdownCell(Format.oneLine(q.query, limit: 200)))` |")
            }
        } else {
            out.append("pg_stat_statements is not available (see below).")
        }
        out += markdownFrequent(s, level: level)
        out += markdownIndexUsage(s, level: level)
        return out
    }

    /// The statements run most often, by calls.
    static func markdownFrequent(_ s: SnapshotSummary, level: String) -> [String] {
        guard s.statements.available, !s.statements.frequent.isEmpty else { return [] }
        var out = ["", "\(level) Most frequent statements", "", "| # | calls | mean | total | share | rows/call | query |",
                   "|---:|---:|---:|---:|---:|---:|---|"]
        for (i, q) in s.statements.frequent.enumerated() {
            out.append("| \(i + 1) | \(Format.count(q.calls)) | \(Format.duration(ms: q.meanExecTime)) | "
                + "\(Format.duration(ms: q.totalExecTime)) | \(Format.percent(q.share)) | \(Format.decimal(q.rowsPerCall)) | "
                + "`\(markdownCell(Format.oneLine(q.query, limit: 200)))` |")
        }
        return out
    }

    /// Each index's scans, tuples read and fetched, and size, by scans.
    static func markdownIndexUsage(_ s: SnapshotSummary, level: String) -> [String] {
        guard !s.indexUsage.isEmpty else { return [] }
        var out = ["", "\(level) Index usage", "", "| index | table | method | scans | tuples read | tuples fetched | size |",
                   "|---|---|---|---:|---:|---:|---:|"]
        for u in s.indexUsage {
            out.append("| \(markdownCell(SQLQuoting.qualified(u.index))) | \(markdownCell(SQLQuoting.qualified(u.table))) | "
                + "\(u.method) | \(Format.count(u.scans)) | \(Format.count(u.tuplesRead)) | \(Format.count(u.tuplesFetched)) | "
                + "\(Format.bytes(u.sizeBytes)) |")
        }
        return out
    }

    static func markdownSources(_ s: SnapshotSummary, level: String) -> [String] {
        var out: [String] = []
        if !s.skipped.isEmpty {
            out.append("\(level) Not fully collected")
            out.append("")
            for skip in s.skipped {
                out.append("- **\(skip.source)** (\(skip.state)): \(markdownCell(skip.reason))"
                    + (skip.fix.map { " Fix: \(markdownCell($0))" } ?? ""))
            }
        }
        return out
    }

    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
