import Core
import Testing

@testable import Commands

/// The HTML toolkit: one escaping function, elements, tables, pages and charts that stay
/// well-formed and self-contained whatever text they are given.
@Suite struct HTMLTests {
    @Test func escapingCoversTextAndAttributes() {
        #expect(HTML.escape(#"a<b & "c" 'd'>"#) == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(HTML.escape("tab\tnew\nline") == "tab\tnew\nline")
        #expect(HTML.escape("bell\u{07}") == "bell\u{FFFD}")
        let element = HTML.element("span", attributes: [("title", #"x" onclick="y"#), ("class", nil)], [.text("<b>")])
        #expect(element.markup == #"<span title="x&quot; onclick=&quot;y">&lt;b&gt;</span>"#)
    }

    @Test func voidElementsCloseThemselves() {
        #expect(HTML.element("meta", ["charset": "utf-8"]).markup == #"<meta charset="utf-8"/>"#)
        #expect(HTML.element("p", text: "").markup == "<p></p>")
    }

    @Test func aPageIsSelfContainedAndBalanced() {
        var table = HTMLTable(headers: ["name", "size"], numeric: [1])
        table.append(text: [#"shop."Or<der>""#, "12 MB"])
        let page = HTMLPage(title: "t & <t>", body: [.element("h1", text: "a < b"), table.html, HTMLStyle.url("https://example.org/x")]).render()
        #expect(HTMLChecks.externalReferences(page).isEmpty, "\(HTMLChecks.externalReferences(page))")
        #expect(HTMLChecks.markupProblems(page).isEmpty, "\(HTMLChecks.markupProblems(page))")
        #expect(page.contains(#"<td class="num">12 MB</td>"#))
        #expect(page.contains("<title>t &amp; &lt;t&gt;</title>"))
    }

    /// The checks themselves catch what they look for.
    @Test func checksCatchBrokenPages() {
        #expect(!HTMLChecks.markupProblems("<html><p><b>x</p></html>").isEmpty)
        #expect(!HTMLChecks.markupProblems("<html><p>a & b</p></html>").isEmpty)
        #expect(!HTMLChecks.markupProblems("<html><p>a < b</p></html>").isEmpty)
        #expect(!HTMLChecks.externalReferences(#"<a href="https://example.org">x</a>"#).isEmpty)
        #expect(!HTMLChecks.externalReferences(#"<svg><image href="//cdn.example/x.png"/></svg>"#).isEmpty)
        #expect(!HTMLChecks.externalReferences("<style>body { background: url(http://x/y.png) }</style>").isEmpty)
    }

    @Test func barChartCutsLongLabelsAndMarksHighlights() {
        let long = String(repeating: "SELECT a, b, c FROM t ", count: 10)
        let chart = SVGBarChart(title: "time", bars: [
            .init(label: long, value: 300, valueText: "3 s"),
            .init(label: "shop.t", value: 100, valueText: "1 s", highlighted: true, note: "unused"),
        ])
        let svg = chart.svg.markup
        #expect(svg.contains("<title>\(HTML.escape(long))</title>"), "the full label is the tooltip")
        #expect(svg.contains(">\(Format.oneLine(long, limit: chart.labelCharacters))</text>"), "the label drawn is cut")
        #expect(Format.oneLine(long, limit: chart.labelCharacters).hasSuffix("…"))
        #expect(svg.contains("1 s — unused"))
        let longest = Double(chart.width - chart.labelWidth - chart.valueWidthNeeded)
        #expect(svg.contains(#"width="\#(SVG.number(longest))""#), "\(svg)")
        #expect(HTMLChecks.markupProblems(svg).isEmpty)
    }

    @Test func scatterChartPlacesPointsOnLogAxes() {
        let chart = SVGScatterChart(
            title: "size against scans", x: .counts(upTo: 5000, title: "scans"), y: .bytes(from: 8192, to: 52_428_800, title: "size"),
            points: [.init(x: 0, y: 52_428_800, tooltip: "big unused", highlighted: true), .init(x: 5000, y: 8192, tooltip: "small busy")])
        let big = chart.place(chart.points[0])
        let small = chart.place(chart.points[1])
        #expect(big.x < small.x && big.y < small.y, "more scans further right, bigger higher")
        #expect(chart.x.ticks.map { $0.label } == ["0", "1", "10", "100", "1k", "10k"])
        #expect(chart.y.ticks.first?.label == "1 kB" && chart.y.ticks.last?.label == "100 MB", "\(chart.y.ticks.map { $0.label })")
        let svg = chart.svg.markup
        #expect(svg.contains("<title>big unused</title>") && svg.contains(">1</text>"), "the highlighted point is numbered")
        #expect(HTMLChecks.markupProblems(svg).isEmpty)
    }
}
