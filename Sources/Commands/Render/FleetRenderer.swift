import Core
import Model

/// The fleet's summary table (`audit --targets` / `--fleet`) in text, Markdown or JSON: one
/// row per target in the order given, its status, counts by severity and top finding, or
/// the one-line reason it could not be audited.
enum FleetRenderer {
    static func render(_ outcomes: [FleetOutcome], as format: OutputFormat, configFile: String?) throws -> String {
        switch format {
        case .text: return text(outcomes, configFile: configFile)
        case .markdown: return markdown(outcomes, configFile: configFile)
        case .json: return try JSONOutput.encode(json(outcomes, configFile: configFile))
        case .html, .junit, .github: throw OutputFormat.Unsupported(format: format)
        }
    }

    static let headers = ["target", "status", "critical", "warning", "info", "suppressed", "top finding"]

    /// The cells of a target's row; an error takes the top finding's place.
    static func cells(_ o: FleetOutcome) -> [String] {
        guard o.isOK, let r = o.result else { return [o.target.name, "error", "-", "-", "-", "-", oneLine(o.error ?? "")] }
        return [o.target.name, "ok"] + Severity.allCases.reversed().map { String(r.count($0)) }
            + [String(r.suppressed.count), r.findings.first.map(describe) ?? "none"]
    }

    static func describe(_ f: Finding) -> String { "\(f.severity.rawValue) \(f.rule) \(f.target.display)" }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    static func title(_ outcomes: [FleetOutcome]) -> String {
        let failed = outcomes.filter { !$0.isOK }.count
        return "pgadvisor audit — fleet of \(outcomes.count) target\(outcomes.count == 1 ? "" : "s"): "
            + "\(outcomes.count - failed) audited, \(failed) failed"
    }

    static func text(_ outcomes: [FleetOutcome], configFile: String?) -> String {
        var out = [title(outcomes), ""]
        if let configFile { out += ["Config      \(configFile)", ""] }
        var table = TextTable(headers: headers, alignments: [.left, .left, .right, .right, .right, .right, .left])
        table.rows = outcomes.map(cells)
        out.append(table.render())
        let saved = outcomes.compactMap { o in o.saved.map { "  \(o.target.name): \($0)" } }
        if !saved.isEmpty { out += ["", "Saved runs"] + saved }
        return out.joined(separator: "\n") + "\n"
    }

    static func markdown(_ outcomes: [FleetOutcome], configFile: String?) -> String {
        var out = ["# " + title(outcomes), ""]
        if let configFile { out += ["Configuration: `\(SummaryRenderer.markdownCell(configFile))`", ""] }
        out.append("| " + headers.joined(separator: " | ") + " |")
        out.append("|---|---|---:|---:|---:|---:|---|")
        for o in outcomes {
            out.append("| " + cells(o).map(SummaryRenderer.markdownCell).joined(separator: " | ") + " |")
        }
        let saved = outcomes.compactMap { o in o.saved.map { "- \(SummaryRenderer.markdownCell(o.target.name)): `\($0)`" } }
        if !saved.isEmpty { out += ["", "Saved runs:", ""] + saved }
        return out.joined(separator: "\n") + "\n"
    }

    struct Report: Encodable {
        var schemaVersion = 1
        var generator = "pgadvisor \(PGAdvisor.version)"
        var configFile: String?
        var targets: [Target]
    }

    struct Target: Encodable {
        var name: String
        var status: String
        var error: String?
        var counts: [String: Int]?
        var suppressed: Int?
        /// The first finding of the target's ranked list.
        var top: Top?
        var saved: String?
    }

    struct Top: Encodable {
        var rule: String
        var severity: String
        var target: String
        var message: String
    }

    static func json(_ outcomes: [FleetOutcome], configFile: String?) -> Report {
        Report(configFile: configFile, targets: outcomes.map { o in
            let first = o.result?.findings.first
            return Target(
                name: o.target.name, status: o.isOK ? "ok" : "error", error: o.error.map(oneLine),
                counts: o.result.map { r in Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, r.count($0)) }) },
                suppressed: o.result?.suppressed.count,
                top: first.map { Top(rule: $0.rule, severity: $0.severity.rawValue, target: $0.target.display, message: $0.message) },
                saved: o.saved)
        })
    }
}
