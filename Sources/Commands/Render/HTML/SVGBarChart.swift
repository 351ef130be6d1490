import Core
import Foundation

/// A horizontal bar chart as inline SVG: one row per bar, its label on the left (cut to fit,
/// the full text in a tooltip), the bar, and the value written after it. Highlighted bars
/// are drawn in the warning colour with a dashed outline, and their `note` is written out,
/// so they stand out in black and white too.
///
/// ```swift
/// let chart = SVGBarChart(title: "Top statements by total time", bars: [
///     .init(label: "SELECT … FROM orders", value: 1234.5, valueText: "1.23 s (41%)"),
/// ])
/// body.append(chart.figure(caption: "Share of all execution time."))
/// ```
struct SVGBarChart {
    struct Bar {
        var label: String
        var value: Double
        /// What is written after the bar (the value, formatted).
        var valueText: String
        var highlighted = false
        /// Written after the value for highlighted bars (e.g. "unused").
        var note: String?
    }

    /// Named in the SVG's `aria-label` and `<title>`.
    var title: String
    var bars: [Bar]
    var width = 1000
    /// Width of the label column, in pixels; labels are cut to fit it.
    var labelWidth = 340
    var rowHeight = 24

    /// Room kept right of the longest bar for the longest value text (about 7.5 px a character
    /// at 12 px), so no value runs off the chart.
    var valueWidthNeeded: Int {
        let characters = bars.map { ($0.valueText + ($0.highlighted ? $0.note.map { " — \($0)" } ?? "" : "")).count }.max() ?? 0
        return min(width - labelWidth - 100, characters * 15 / 2 + 16)
    }

    /// Characters a label of `labelWidth` pixels holds at the chart's 12 px monospace font.
    var labelCharacters: Int { max(4, (labelWidth - 12) / 7) }

    /// The SVG element alone.
    var svg: HTML {
        let height = bars.count * rowHeight + 8
        let maxValue = bars.map(\.value).max() ?? 0
        let barSpace = Double(width - labelWidth - valueWidthNeeded)
        var marks: [HTML] = [.element("title", text: title)]
        for (i, bar) in bars.enumerated() {
            let y = i * rowHeight + 4
            let length = maxValue > 0 ? max(1, barSpace * max(0, bar.value) / maxValue) : 1
            marks.append(row(bar, y: y, length: length))
        }
        return .element("svg", attributes: [
            ("viewBox", "0 0 \(width) \(height)"),
            ("width", String(width)), ("height", String(height)), ("role", "img"), ("aria-label", title),
            ("font-size", "12"),
        ], marks)
    }

    /// The chart in a `<figure class="chart">` with a caption under it.
    func figure(caption: String) -> HTML {
        .element("figure", ["class": "chart"], [svg, .element("figcaption", text: caption)])
    }

    private func row(_ bar: Bar, y: Int, length: Double) -> HTML {
        let middle = String(y + rowHeight / 2 + 4)
        let label = Format.oneLine(bar.label, limit: labelCharacters)
        let note = bar.highlighted ? bar.note.map { " — \($0)" } ?? "" : ""
        let labelText = HTML.element("text", attributes: [
            ("x", String(labelWidth - 8)), ("y", middle), ("text-anchor", "end"),
            ("font-family", "DejaVu Sans Mono, Menlo, Consolas, monospace"), ("fill", "#1d2430"),
        ], [.text(label)])
        let rect = HTML.element("rect", attributes: [
            ("x", String(labelWidth)), ("y", String(y + 3)), ("width", SVG.number(length)), ("height", String(rowHeight - 6)),
            ("fill", bar.highlighted ? "#c2410c" : "#4a78b0"),
            ("stroke", bar.highlighted ? "#1d2430" : nil), ("stroke-dasharray", bar.highlighted ? "4 2" : nil),
        ])
        let value = HTML.element("text", attributes: [
            ("x", SVG.number(Double(labelWidth) + length + 6)), ("y", middle), ("fill", "#1d2430"),
            ("font-weight", bar.highlighted ? "700" : nil),
        ], [.text(bar.valueText + note)])
        return .element("g", [.element("title", text: bar.label), labelText, rect, value])
    }
}

/// Small helpers the SVG charts share.
enum SVG {
    /// A coordinate with at most one decimal, without a trailing ".0": deterministic text.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}
