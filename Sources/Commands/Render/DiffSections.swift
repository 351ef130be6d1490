import Core
import Model

/// The diff report's sections as tables, in the order every format prints them; a section
/// with nothing to show is left out.
enum DiffSections {
    static let statementWidth = 70

    /// `messageLimit`: where a finding's message is cut (text and Markdown keep rows on one
    /// line; HTML wraps, so it shows them whole).
    static func all(_ d: SnapshotDiff, messageLimit: Int = 110) -> [DiffSection] {
        var sections = findings(d.findings, messageLimit: messageLimit).map { s in var s = s; s.identifiers = [1]; return s }
        sections += [regressions(d), newStatements(d)].map { s in var s = s; s.identifiers = [0, 1]; return s }
        sections += [indexes(d)] + growth(d) + [settings(d)]
        return sections.filter { !$0.rows.isEmpty }
    }

    // MARK: Findings

    static func findings(_ f: FindingChanges, messageLimit: Int = 110) -> [DiffSection] {
        let headers = ["severity", "rule", "target", "finding"]
        func row(_ c: FindingChanges.Change, _ severity: String, _ last: String? = nil) -> [String] {
            [severity, c.finding.rule, c.finding.target.display, last ?? Format.oneLine(c.finding.message, limit: messageLimit)]
        }
        return [
            DiffSection(title: "New findings", headers: headers, rows: f.new.map { c in
                var r = row(c, c.finding.severity.rawValue)
                if c.skippedReason != nil { r[3] = "(first judged: OLD skipped this rule) " + r[3] }
                return r
            }),
            DiffSection(title: "Resolved findings", headers: headers, rows: f.resolved.map { c in
                var r = row(c, c.finding.severity.rawValue)
                if c.afterReset { r[3] = "(gone after a statistics reset: may not have recurred yet) " + r[3] }
                return r
            }),
            DiffSection(title: "Severity changed", headers: headers, rows: f.severityChanged.map {
                row($0, "\($0.oldSeverity?.rawValue ?? "?") → \($0.finding.severity.rawValue)")
            }),
            DiffSection(title: "No longer judged (not known to be resolved)",
                        headers: ["severity", "rule", "target", "why"],
                        rows: f.notJudged.map { row($0, $0.finding.severity.rawValue, Format.oneLine($0.skippedReason ?? "", limit: messageLimit)) }),
        ]
    }

    // MARK: Statements

    static func regressions(_ d: SnapshotDiff) -> DiffSection {
        let o = d.options
        return DiffSection(
            title: "Regressed statements",
            notes: ["Mean time over the window at least \(Format.percent(o.regression, digits: 0)) and \(Format.duration(ms: o.minDeltaMs)) "
                + "above OLD's mean, with \(o.minCalls)+ calls on both sides; the most added time first."],
            headers: ["query", "user", "calls", "mean OLD", "mean now", "change", "added", "figures", "statement"],
            numeric: [2, 3, 4, 5, 6],
            rows: d.regressions.map { c in
                [String(c.key.queryId), c.key.user ?? "?", Format.count(c.window.calls), c.oldMeanMs.map { Format.duration(ms: $0) } ?? "-",
                 c.window.meanMs.map { Format.duration(ms: $0) } ?? "-", c.slowdown.map(change) ?? "-",
                 Format.duration(ms: c.addedMs), basis(c.basis), statement(c)]
            })
    }

    static func newStatements(_ d: SnapshotDiff) -> DiffSection {
        DiffSection(
            title: "New heavy statements",
            notes: ["Among the \(d.options.top) statements taking the most time over the window (and at least "
                + "\(Format.percent(SnapshotDiff.heavyShare, digits: 0)) of it), with fewer than \(d.options.minCalls) calls (or none) in OLD."],
            headers: ["query", "user", "calls", "total", "mean", "calls OLD", "figures", "statement"],
            numeric: [2, 3, 4, 5],
            rows: d.newStatements.map { c in
                [String(c.key.queryId), c.key.user ?? "?", Format.count(c.window.calls), Format.duration(ms: c.window.totalMs),
                 c.window.meanMs.map { Format.duration(ms: $0) } ?? "-", c.oldCalls.map { Format.count($0) } ?? "-",
                 basis(c.basis), statement(c)]
            })
    }

    /// `+76%`, or `×17.6` from ten times slower on.
    static func change(_ slowdown: Double) -> String {
        slowdown < 9 ? "+" + Format.percent(slowdown, digits: 0) : "×" + Format.decimal(slowdown + 1)
    }

    static func statement(_ c: StatementChange) -> String {
        Format.oneLine(c.text.isEmpty ? "(text hidden)" : c.text, limit: statementWidth)
    }

    static func basis(_ b: StatementChange.Basis) -> String {
        b == .window ? "window" : "since reset"
    }

    // MARK: Indexes, growth, settings

    static func indexes(_ d: SnapshotDiff) -> DiffSection {
        DiffSection(
            title: "Index usage",
            headers: ["change", "index", "table", "scans OLD", "scans NEW", "in window", "size", "figures"],
            numeric: [3, 4, 5, 6],
            rows: d.indexes.map { c in
                [c.kind.rawValue.replacingOccurrences(of: "-", with: " "), SQLQuoting.qualified(c.index), SQLQuoting.qualified(c.table),
                 c.oldScans.map { Format.count($0) } ?? "-", c.newScans.map { Format.count($0) } ?? "-",
                 c.kind == .dropped ? "-" : Format.count(c.windowScans), c.sizeBytes.map(Format.bytes) ?? "-", basis(c.basis)]
            })
    }

    static func growth(_ d: SnapshotDiff) -> [DiffSection] {
        func rows(_ changes: [SizeChange]) -> [[String]] {
            changes.map { c in
                [c.relation.map(SQLQuoting.qualified) ?? "", c.oldBytes.map(Format.bytes) ?? "new", Format.bytes(c.newBytes),
                 "+" + Format.bytes(c.deltaBytes), c.growth.map { "+" + Format.percent($0, digits: 0) } ?? "-"]
            }
        }
        let headers = ["", "OLD", "NEW", "growth", "share"]
        return [
            DiffSection(title: "Tables that grew most", headers: ["table"] + headers.dropFirst(), numeric: [1, 2, 3, 4], rows: rows(d.tableGrowth)),
            DiffSection(title: "Indexes that grew most", headers: ["index"] + headers.dropFirst(), numeric: [1, 2, 3, 4], rows: rows(d.indexGrowth)),
            DiffSection(title: "Bloat that grew most", notes: ["Wasted space as the audit estimates it (pgstattuple when measured)."],
                        headers: ["kind", "relation", "waste OLD", "waste NEW", "growth", "share"], numeric: [2, 3, 4, 5],
                        rows: zip(d.bloatGrowth, rows(d.bloatGrowth)).map { [$0.kind == .tableBloat ? "table" : "index"] + $1 }),
        ]
    }

    static func settings(_ d: SnapshotDiff) -> DiffSection {
        DiffSection(
            title: "Settings changed", headers: ["setting", "OLD", "NEW", "note"],
            rows: d.settings.map { [$0.name, $0.oldValue ?? "(absent)", $0.newValue ?? "(absent)", $0.pendingRestart ? "pending restart" : ""] })
    }
}
