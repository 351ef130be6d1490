import Core
import Foundation
import Model
import Testing
import TestSupport

@testable import Commands

/// `audit --format html`: one self-contained, well-formed page whose counts agree with the
/// report, and whose names and statements are text, never markup.
@Suite struct AuditHTMLRendererTests {
    static let snapshotPath = PostgresTools.root.appendingPathComponent("reports/demo/snapshot.json").path

    static func demoReport() throws -> AuditReport {
        let snapshot = try Snapshot(jsonData: try Data(contentsOf: URL(fileURLWithPath: snapshotPath)))
        return AuditReport(snapshot: snapshot, result: Auditor().run(snapshot), top: 5)
    }

    @Test func demoPageIsSelfContainedAndWellFormed() throws {
        let html = AuditHTMLRenderer.render(try Self.demoReport())
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        #expect(HTMLChecks.externalReferences(html).isEmpty, "\(HTMLChecks.externalReferences(html))")
        #expect(HTMLChecks.markupProblems(html).isEmpty, "\(HTMLChecks.markupProblems(html))")
        // The manual links are printed as text.
        #expect(html.contains(#"<span class="url">https://www.postgresql.org/docs/"#))
    }

    @Test func severityCountsMatchTheReport() throws {
        let report = try Self.demoReport()
        let html = AuditHTMLRenderer.render(report)
        let cards = HTMLChecks.groups(#"<div class="figure">(\d+)</div><div class="caption">(\w+) findings?</div>"#, in: html)
        #expect(cards.map { $0[2] } == ["critical", "warning", "info"])
        for card in cards {
            let severity = try #require(Severity(rawValue: card[2]))
            #expect(Int(card[1]) == report.result.count(severity), "\(severity)")
            #expect(html.components(separatedBy: #"<section class="finding finding-\#(severity.rawValue)""#).count - 1
                        == report.result.count(severity))
        }
        #expect(report.result.findings.count > 5 && report.result.count(.critical) > 0, "the demo has findings of each kind")
        #expect(html.contains(AuditRenderer.countsLine(report.result).replacingOccurrences(of: "'", with: "&#39;")))
        for skip in report.result.skipped { #expect(html.contains(#"<code class="id">\#(skip.rule)</code>"#)) }
    }

    /// Identifiers and statement text with markup characters stay text everywhere they appear:
    /// tables, findings, chart labels and tooltips.
    @Test func hostileNamesAreEscaped() throws {
        let table = "shop.Or<der> & 'x'"
        var orders = Example.table(table, rows: 100_000, pages: 50_000)
        orders.activity?.deadTuples = 80_000
        let snapshot = Example.snapshot(
            statements: [Example.statement(7, "SELECT '</code><script>alert(1)</script>' FROM t WHERE a = $1", calls: 900, meanMs: 40)],
            tables: [orders],
            indexes: [Example.index("shop.i<dx>&\"q\"", on: table, columns: ["payload"], scans: 0, pages: 4000)],
            columnStats: [
                ColumnStats(schema: "shop", table: #"Or<der> & 'x'"#, column: "id", averageWidth: 8, distinctValues: -1),
                ColumnStats(schema: "shop", table: #"Or<der> & 'x'"#, column: "payload", averageWidth: 20, distinctValues: 100),
            ])
        let html = AuditHTMLRenderer.render(AuditReport(snapshot: snapshot, result: Auditor().run(snapshot), top: 5))
        #expect(HTMLChecks.markupProblems(html).isEmpty, "\(HTMLChecks.markupProblems(html))")
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<code>shop.&quot;Or&lt;der&gt; &amp; &#39;x&#39;&quot;</code>"))
        #expect(!html.contains("Or<der>") && !html.contains("i<dx>"))
        #expect(html.contains("Index size against scans") && html.contains("Bloat"), "both charts drawn")
    }

    /// Suppressed findings are counted in the summary and listed with their reason, apart
    /// from the findings; the configuration file is named in the header.
    @Test func suppressedFindingsAreCountedAndListed() throws {
        var report = try Self.demoReport()
        let finding = try #require(report.result.findings.first { $0.rule == "unused-index" })
        report.result.findings.removeAll { $0 == finding }
        report.result.suppressed = [SuppressedFinding(
            finding: finding,
            suppression: Suppression(rule: "unused-index", target: finding.target.display, reason: "kept for the <month-end> job",
                                     file: "pgadvisor.toml", line: 14))]
        report.configFile = "pgadvisor.toml"
        let html = AuditHTMLRenderer.render(report)
        #expect(HTMLChecks.markupProblems(html).isEmpty, "\(HTMLChecks.markupProblems(html))")
        #expect(html.contains(#"<div class="figure">1</div><div class="caption">suppressed</div>"#))
        #expect(html.contains("<p>\(HTML.escape(try #require(AuditRenderer.suppressedLine(report.result))))</p>"))
        #expect(html.contains(#"<h2 id="suppressed">Suppressed findings</h2>"#))
        #expect(html.contains("kept for the &lt;month-end&gt; job (pgadvisor.toml:14)"))
        #expect(html.contains("<th>Configuration</th><td>pgadvisor.toml</td>"))
        #expect(html.components(separatedBy: #"<section class="finding "#).count - 1 == report.result.findings.count)
    }

    @Test func writesTheHTMLFileItsExtensionNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("audit.html").path
        let written = try CLI.run(["audit", "--from", Self.snapshotPath, "--output", file])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        let printed = try CLI.run(["audit", "--from", Self.snapshotPath, "--format", "html"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.stdout)
        #expect(printed.stdout.hasPrefix("<!DOCTYPE html>") && !printed.stdout.contains("\u{1B}["), "no terminal colour in HTML")
    }
}
