import Core
import Foundation
import Model
import Planner

/// What `pgadvisor indexes` prints.
struct IndexesReport {
    var snapshot: Snapshot
    var advice: IndexAdvice
    /// Where the statements came from: `pg_stat_statements` or `statements of release.sql`.
    var source: String
    var explainRejections: Bool
}

/// Prints the index advice as text, Markdown or JSON.
enum IndexesRenderer {
    static let schemaVersion = 1

    static func render(_ report: IndexesReport, as format: OutputFormat) throws -> String {
        switch format {
        case .text: return text(report)
        case .markdown: return markdown(report)
        case .json: return try JSONOutput.encode(json(report))
        case .html, .junit, .github: throw OutputFormat.Unsupported(format: format)
        }
    }

    static func header(_ r: IndexesReport) -> [String] {
        let a = r.advice
        let s = r.snapshot.server
        let version = s.version.split(separator: " ").first.map(String.init) ?? s.version
        var lines = ["pgadvisor indexes — database \(s.database) (PostgreSQL \(version)), \(r.source)"]
        let analyzed = a.costedStatements + a.skippedStatements.count
        let how = a.verified ? "Verified with hypopg" : "Unverified (estimated from pg_stats)"
        lines.append("\(how): \(a.costedStatements) of \(analyzed) statements costed, \(a.candidates) candidates, "
            + "\(Format.count(a.explainCalls)) EXPLAIN calls (\(Format.count(a.cacheHits)) answered from the cache).")
        if !a.recommendations.isEmpty {
            lines.append("Estimated workload \(timed(a) ? "time" : "cost") with these indexes: \(Format.percent(a.relativeCost)) "
                + "of what it is now (every candidate at once: \(Format.percent(a.lowerBoundRelativeCost))).")
        }
        return lines
    }

    /// What the planner does now, when hypopg was missing (read with EXPLAIN, no index added).
    static func currentPlanLines(_ a: IndexAdvice) -> [String] {
        guard !a.currentPlans.isEmpty else { return [] }
        let how = a.explainMethod == "generic_plan" ? "EXPLAIN (GENERIC_PLAN) for statements with $n"
            : "EXPLAIN of a prepared statement's generic plan for statements with $n"
        var out = ["Current plans (the planner now, \(how)):"]
        for plan in a.currentPlans {
            let uses = plan.indexesUsed.isEmpty ? "no index" : "uses " + plan.indexesUsed.joined(separator: ", ")
            out.append("  \(plan.label): cost \(Format.decimal(plan.cost)), \(uses)")
            out.append("    " + Format.oneLine(plan.text, limit: 120))
        }
        out.append("")
        return out
    }

    private static func timed(_ a: IndexAdvice) -> Bool {
        a.recommendations.contains { $0.savedMs != nil }
    }

    static func title(_ number: Int, _ r: IndexRecommendation, verified: Bool, code: Bool = false) -> String {
        let index = r.spec.display
        var line = "\(number). " + (code ? "`\(index.replacingOccurrences(of: "`", with: "'"))`" : index)
        if let perDay = r.savedMsPerDay {
            line += " — saves ~\(Format.duration(ms: perDay)) a day"
        } else if let saved = r.savedMs {
            line += " — saves ~\(Format.duration(ms: saved)) since the statistics reset"
        }
        return line + ", " + size(r, verified: verified)
    }

    /// `≈ 13 MB (hypopg; 9.1 MB from column widths)`: hypopg ignores btree deduplication, so
    /// the widths estimate is the other end of the range.
    static func size(_ r: IndexRecommendation, verified: Bool) -> String {
        guard verified, r.bytesFromWidths != r.estimatedBytes else { return "≈ \(Format.bytes(r.estimatedBytes))" }
        return "≈ \(Format.bytes(r.estimatedBytes)) (hypopg; \(Format.bytes(r.bytesFromWidths)) from column widths)"
    }

    static func writeLine(_ w: WriteOverhead) -> String {
        var parts: [String] = []
        if let entries = w.entriesPerDay {
            parts.append("\(Format.count(Int64(entries.rounded()))) index entries a day"
                + (w.msPerDay.flatMap { $0 > 0 ? " (~\(Format.duration(ms: $0)))" : nil } ?? ""))
        } else if let entries = w.entries {
            parts.append("\(Format.count(Int64(entries.rounded()))) index entries since the statistics reset")
        } else {
            parts.append("no write counters for the table")
        }
        if let ratio = w.entryToRowRatio { parts.append("entry/row size \(Format.percent(ratio, digits: 0))") }
        if !w.breaksHOTOn.isEmpty { parts.append("indexes updated columns \(w.breaksHOTOn.joined(separator: ", ")): no more HOT updates") }
        return "write overhead: " + parts.joined(separator: ", ")
    }

    /// The CREATE INDEX CONCURRENTLY statements, with the session settings a long build needs.
    static func script(_ a: IndexAdvice) -> [String] {
        guard !a.recommendations.isEmpty else { return [] }
        return [
            "-- run with psql, outside a transaction block; each build waits for running transactions",
            "SET statement_timeout = 0;",
            "SET lock_timeout = '5s';",
        ] + a.recommendations.map { RemediationSQL.sql(.createIndex($0.spec)) }
    }

    /// The statements not costed that the report lists one by one, and counted lines for the
    /// rest; with `--explain-rejections` every statement is listed.
    static func skipped(_ r: IndexesReport) -> (listed: [SkippedStatement], groups: [SkippedStatementSummary.Group]) {
        guard !r.explainRejections else { return (r.advice.skippedStatements, []) }
        let summary = SkippedStatementSummary(r.advice.skippedStatements, workloadMs: r.advice.workloadMs)
        return (summary.listed, summary.groups)
    }

    // MARK: text

    static func text(_ r: IndexesReport) -> String {
        let a = r.advice
        var out = header(r)
        out.append("")
        if a.recommendations.isEmpty {
            out.append("No index recommended: no candidate cuts a statement's cost by the minimum improvement.")
        }
        for (i, rec) in a.recommendations.enumerated() {
            out.append(title(i + 1, rec, verified: a.verified))
            out.append("   " + RemediationSQL.sql(.createIndex(rec.spec)))
            out.append("   " + writeLine(rec.writeOverhead))
            for b in rec.statements {
                out.append("   " + b.summary)
                out.append("     " + Format.oneLine(b.text, limit: 160))
            }
            out.append("")
        }
        if !a.skippedStatements.isEmpty {
            let (listed, groups) = skipped(r)
            out.append("Statements not costed (\(a.skippedStatements.count)" + (groups.isEmpty ? "):"
                : "; --explain-rejections lists them all):"))
            for s in listed {
                out.append("  \(s.statement.label): \(s.reason)")
                out.append("    " + Format.oneLine(s.statement.text, limit: 120))
            }
            for group in groups { out.append("  + " + group.line) }
            out.append("")
        }
        if r.explainRejections {
            out.append("Candidates not recommended (\(a.rejections.count)):")
            for rejection in a.rejections { out.append("  \(rejection.display): \(rejection.reason)") }
            out.append("")
        } else if !a.rejections.isEmpty {
            out.append("\(a.rejections.count) candidate\(a.rejections.count == 1 ? "" : "s") not recommended "
                + "(--explain-rejections lists them with the reason).")
            out.append("")
        }
        out += currentPlanLines(a)
        for note in a.notes { out.append("Note: " + note) }
        if !a.notes.isEmpty { out.append("") }
        let script = script(a)
        if !script.isEmpty {
            out.append("Script (dry run: nothing was created):")
            out += script.map { "  " + $0 }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    static func markdown(_ r: IndexesReport) -> String {
        let a = r.advice
        let head = header(r)
        var out = ["# " + head[0].replacingOccurrences(of: "pgadvisor indexes — ", with: "Index advice — "), ""]
        out += head.dropFirst().map { $0 + "  " }
        out.append("")
        if a.recommendations.isEmpty {
            out.append("No index recommended: no candidate cuts a statement's cost by the minimum improvement.")
            out.append("")
        }
        for (i, rec) in a.recommendations.enumerated() {
            out.append("## " + title(i + 1, rec, verified: a.verified, code: true))
            out += ["", "```sql", RemediationSQL.sql(.createIndex(rec.spec)), "```", "", writeLine(rec.writeOverhead), ""]
            out.append("| statement | calls | mean | cost before | cost after | saved per call | saved per day |")
            out.append("|---|--:|--:|--:|--:|--:|--:|")
            for b in rec.statements {
                out.append("| \(b.label) | \(b.calls.map(Format.count) ?? "-") | \(b.meanMs.map { Format.duration(ms: $0) } ?? "-") | "
                    + "\(Format.decimal(b.costBefore)) | \(Format.decimal(b.costAfter)) | "
                    + "\(b.savedMsPerCall.map { Format.duration(ms: $0) } ?? "-") | \(b.savedMsPerDay.map { Format.duration(ms: $0) } ?? "-") |")
            }
            out.append("")
            for b in rec.statements { out.append("- \(b.label): `\(Format.oneLine(b.text, limit: 200).replacingOccurrences(of: "`", with: "'"))`") }
            out.append("")
        }
        if !a.skippedStatements.isEmpty {
            let (listed, groups) = skipped(r)
            out += ["## Statements not costed", ""]
            for s in listed { out.append("- \(s.statement.label): \(s.reason)") }
            for group in groups { out.append("- " + group.line) }
            if !groups.isEmpty { out += ["", "(`--explain-rejections` lists them all.)"] }
            out.append("")
        }
        if r.explainRejections, !a.rejections.isEmpty {
            out += ["## Candidates not recommended", ""]
            for rejection in a.rejections { out.append("- `\(rejection.display)`: \(rejection.reason)") }
            out.append("")
        }
        if !a.currentPlans.isEmpty {
            out += ["## Current plans", ""]
            for plan in a.currentPlans {
                let uses = plan.indexesUsed.isEmpty ? "no index" : "uses " + plan.indexesUsed.map { "`\($0)`" }.joined(separator: ", ")
                out.append("- \(plan.label): cost \(Format.decimal(plan.cost)), \(uses)")
            }
            out.append("")
        }
        for note in a.notes { out.append("> " + note) }
        if !a.notes.isEmpty { out.append("") }
        let script = script(a)
        if !script.isEmpty { out += ["## Script", "", "```sql"] + script + ["```"] }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    struct JSONReport: Encodable {
        var schemaVersion: Int
        var generator: String
        var database: String
        var serverVersion: String
        var source: String
        var verified: Bool
        var costedStatements: Int
        var candidates: Int
        var explainCalls: Int
        var cacheHits: Int
        var relativeCost: Double
        var lowerBoundRelativeCost: Double
        var recommendations: [JSONRecommendation]
        var skippedStatements: [JSONSkipped]
        var rejections: [JSONRejection]
        var notes: [String]
        var script: [String]
        /// `generic_plan` (EXPLAIN (GENERIC_PLAN), PostgreSQL 16+) or `prepared_statement`.
        var explainMethod: String?
        var currentPlans: [JSONCurrentPlan]
    }

    struct JSONCurrentPlan: Encodable {
        var label: String
        var queryId: Int64?
        var text: String
        var cost: Double
        var indexesUsed: [String]
    }

    struct JSONRecommendation: Encodable {
        var table: String
        var index: String
        var name: String
        var sql: String
        var origin: String
        var estimatedSizeBytes: Int64
        var sizeFromWidthsBytes: Int64
        var savedMsPerDay: Double?
        var savedMs: Double?
        var writeOverhead: JSONWrite
        var statements: [JSONBenefit]
    }

    struct JSONWrite: Encodable {
        var entries: Double?
        var entriesPerDay: Double?
        var msPerDay: Double?
        var entryToRowRatio: Double?
        var breaksHOTOn: [String]
    }

    struct JSONBenefit: Encodable {
        var label: String
        var queryId: Int64?
        var text: String
        var calls: Int64?
        var meanMs: Double?
        var costBefore: Double
        var costAfter: Double
        var savedMsPerCall: Double?
        var savedMsPerDay: Double?
    }

    struct JSONSkipped: Encodable {
        var label: String
        var queryId: Int64?
        var reason: String
        /// `utility`, `catalog-only` or `other`.
        var kind: String
        var text: String
    }

    struct JSONRejection: Encodable {
        var index: String
        var reason: String
    }

    private static func rounded(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 1000 } }

    static func json(_ r: IndexesReport) -> JSONReport {
        let a = r.advice
        return JSONReport(
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)", database: r.snapshot.server.database,
            serverVersion: r.snapshot.server.version, source: r.source, verified: a.verified,
            costedStatements: a.costedStatements, candidates: a.candidates, explainCalls: a.explainCalls,
            cacheHits: a.cacheHits, relativeCost: rounded(a.relativeCost)!, lowerBoundRelativeCost: rounded(a.lowerBoundRelativeCost)!,
            recommendations: a.recommendations.map { rec in
                JSONRecommendation(
                    table: SQLQuoting.qualified(rec.spec.table), index: rec.spec.display,
                    name: RemediationSQL.indexName(rec.spec), sql: RemediationSQL.sql(.createIndex(rec.spec)),
                    origin: rec.origin, estimatedSizeBytes: rec.estimatedBytes,
                    sizeFromWidthsBytes: rec.bytesFromWidths, savedMsPerDay: rounded(rec.savedMsPerDay),
                    savedMs: rounded(rec.savedMs),
                    writeOverhead: JSONWrite(
                        entries: rounded(rec.writeOverhead.entries), entriesPerDay: rounded(rec.writeOverhead.entriesPerDay),
                        msPerDay: rounded(rec.writeOverhead.msPerDay),
                        entryToRowRatio: rounded(rec.writeOverhead.entryToRowRatio), breaksHOTOn: rec.writeOverhead.breaksHOTOn),
                    statements: rec.statements.map { b in
                        JSONBenefit(
                            label: b.label, queryId: b.queryId, text: b.text, calls: b.calls, meanMs: rounded(b.meanMs),
                            costBefore: rounded(b.costBefore)!, costAfter: rounded(b.costAfter)!,
                            savedMsPerCall: rounded(b.savedMsPerCall), savedMsPerDay: rounded(b.savedMsPerDay))
                    })
            },
            skippedStatements: a.skippedStatements.map {
                JSONSkipped(label: $0.statement.label, queryId: $0.statement.queryId, reason: $0.reason, kind: $0.kind.rawValue,
                            text: $0.statement.text)
            },
            rejections: a.rejections.map { JSONRejection(index: $0.display, reason: $0.reason) },
            notes: a.notes, script: script(a), explainMethod: a.explainMethod,
            currentPlans: a.currentPlans.map {
                JSONCurrentPlan(label: $0.label, queryId: $0.queryId, text: $0.text, cost: rounded($0.cost)!, indexesUsed: $0.indexesUsed)
            })
    }
}
