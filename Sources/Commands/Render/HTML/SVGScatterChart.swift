import Foundation

/// A scatter chart as inline SVG, made for "size against use" (an index's bytes against its
/// scans): both axes logarithmic, plain points as circles, highlighted points as numbered
/// squares in the warning colour, so a reader can find them in a table under the chart, in
/// black and white too.
///
/// ```swift
/// let chart = SVGScatterChart(
///     title: "Index size against scans",
///     x: .counts(upTo: 120_000, title: "scans"), y: .bytes(from: 8192, to: 1 << 30, title: "size"),
///     points: [.init(x: 0, y: 52_428_800, tooltip: "shop.orders_note_idx: 0 scans, 50 MB", highlighted: true)])
/// body.append(chart.figure(caption: "Squares: unused indexes, numbered as in the table below."))
/// ```
struct SVGScatterChart {
    struct Point {
        var x: Double
        var y: Double
        /// Shown on hover (the SVG `<title>` of the point).
        var tooltip: String
        var highlighted = false
    }

    /// A logarithmic axis: where a value falls (`position`, any monotonic scale) and the ticks.
    struct Axis {
        var title: String
        var ticks: [(value: Double, label: String)]
        var position: (Double) -> Double

        /// Counts from 0 up (scans, calls): log10(1 + n), ticks at 0, 1, 10, 100, 1k, …
        static func counts(upTo maximum: Double, title: String) -> Axis {
            var ticks: [(Double, String)] = [(0, "0"), (1, "1")]
            var value = 10.0
            while value < maximum * 10 && ticks.count < 12 {
                ticks.append((value, compact(value)))
                if value >= maximum { break }
                value *= 10
            }
            return Axis(title: title, ticks: ticks, position: { log10(1 + max(0, $0)) })
        }

        /// Bytes (sizes): log10, ticks at 1, 10 and 100 of each unit (kB, MB, GB, TB).
        static func bytes(from minimum: Double, to maximum: Double, title: String) -> Axis {
            let units = ["kB", "MB", "GB", "TB"]
            var all: [(Double, String)] = []
            for (u, unit) in units.enumerated() {
                for factor in [1.0, 10, 100] {
                    all.append((pow(1024, Double(u + 1)) * factor, "\(Int(factor)) \(unit)"))
                }
            }
            let low = all.last { $0.0 <= max(1, minimum) } ?? all[0]
            let high = all.first { $0.0 >= maximum } ?? all[all.count - 1]
            let ticks = all.filter { $0.0 >= low.0 && $0.0 <= high.0 }
            return Axis(title: title, ticks: ticks, position: { log10(max(1, $0)) })
        }

        static func compact(_ value: Double) -> String {
            switch value {
            case 1e9...: "\(Int(value / 1e9))G"
            case 1e6...: "\(Int(value / 1e6))M"
            case 1e3...: "\(Int(value / 1e3))k"
            default: "\(Int(value))"
            }
        }

        var range: (low: Double, high: Double) {
            let positions = ticks.map { position($0.value) }
            let low = positions.min() ?? 0
            let high = positions.max() ?? 1
            return (low, high > low ? high : low + 1)
        }
    }

    var title: String
    var x: Axis
    var y: Axis
    var points: [Point]
    var width = 1000
    var height = 380

    private var plot: (left: Double, top: Double, right: Double, bottom: Double) {
        (70, 16, Double(width) - 24, Double(height) - 46)
    }

    /// The SVG element alone.
    var svg: HTML {
        var marks: [HTML] = [.element("title", text: title)]
        marks += axes()
        // Plain points first, highlighted ones on top, numbered 1, 2, … in the order given.
        for point in points where !point.highlighted { marks.append(circle(point)) }
        var labels: [(x: Double, y: Double)] = []
        for (i, point) in points.filter(\.highlighted).enumerated() {
            marks.append(square(point, number: i + 1, placed: &labels))
        }
        return .element("svg", attributes: [
            ("viewBox", "0 0 \(width) \(height)"), ("width", String(width)), ("height", String(height)),
            ("role", "img"), ("aria-label", title), ("font-size", "12"),
        ], marks)
    }

    /// The chart in a `<figure class="chart">` with a caption under it.
    func figure(caption: String) -> HTML {
        .element("figure", ["class": "chart"], [svg, .element("figcaption", text: caption)])
    }

    /// Where a point is drawn; points keep `inset` pixels off the frame so none sits on it.
    func place(_ point: Point) -> (x: Double, y: Double) {
        let p = plot
        let inset = 12.0
        let xr = x.range
        let yr = y.range
        let px = p.left + inset + (x.position(point.x) - xr.low) / (xr.high - xr.low) * (p.right - p.left - 2 * inset)
        let py = p.bottom - inset - (y.position(point.y) - yr.low) / (yr.high - yr.low) * (p.bottom - p.top - 2 * inset)
        return (min(max(px, p.left), p.right), min(max(py, p.top), p.bottom))
    }

    private func axes() -> [HTML] {
        let p = plot
        var marks: [HTML] = [
            .element("rect", attributes: [("x", SVG.number(p.left)), ("y", SVG.number(p.top)),
                                          ("width", SVG.number(p.right - p.left)), ("height", SVG.number(p.bottom - p.top)),
                                          ("fill", "none"), ("stroke", "#9aa3ae")]),
        ]
        for tick in x.ticks {
            let px = place(Point(x: tick.value, y: 0, tooltip: "")).x
            marks.append(line(px, p.top, px, p.bottom))
            marks.append(label(tick.label, x: px, y: p.bottom + 16, anchor: "middle"))
        }
        for tick in y.ticks {
            let py = place(Point(x: 0, y: tick.value, tooltip: "")).y
            marks.append(line(p.left, py, p.right, py))
            marks.append(label(tick.label, x: p.left - 6, y: py + 4, anchor: "end"))
        }
        marks.append(label(x.title, x: (p.left + p.right) / 2, y: Double(height) - 8, anchor: "middle", bold: true))
        marks.append(.element("text", attributes: [
            ("x", "14"), ("y", SVG.number((p.top + p.bottom) / 2)), ("text-anchor", "middle"), ("font-weight", "700"),
            ("fill", "#1d2430"), ("transform", "rotate(-90 14 \(SVG.number((p.top + p.bottom) / 2)))"),
        ], [.text(y.title)]))
        return marks
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> HTML {
        .element("line", attributes: [("x1", SVG.number(x1)), ("y1", SVG.number(y1)), ("x2", SVG.number(x2)),
                                      ("y2", SVG.number(y2)), ("stroke", "#e3e7ec")])
    }

    private func label(_ text: String, x: Double, y: Double, anchor: String, bold: Bool = false) -> HTML {
        .element("text", attributes: [("x", SVG.number(x)), ("y", SVG.number(y)), ("text-anchor", anchor),
                                      ("fill", "#1d2430"), ("font-weight", bold ? "700" : nil)], [.text(text)])
    }

    private func circle(_ point: Point) -> HTML {
        let at = place(point)
        return .element("circle", attributes: [
            ("cx", SVG.number(at.x)), ("cy", SVG.number(at.y)), ("r", "4"),
            ("fill", "#4a78b0"), ("fill-opacity", "0.6"), ("stroke", "#2c4f7c"),
        ], [.element("title", text: point.tooltip)])
    }

    /// A highlighted point: a square and its number, moved right past the numbers already
    /// drawn close to it (`placed`) so they do not overlap.
    private func square(_ point: Point, number: Int, placed: inout [(x: Double, y: Double)]) -> HTML {
        let at = place(point)
        var labelX = at.x + 9
        let labelY = at.y + 4
        let labelWidth = Double(String(number).count * 8 + 8)
        while placed.contains(where: { abs($0.y - labelY) < 13 && abs($0.x - labelX) < labelWidth }) {
            labelX += labelWidth
        }
        placed.append((labelX, labelY))
        return .element("g", [
            .element("title", text: point.tooltip),
            .element("rect", attributes: [
                ("x", SVG.number(at.x - 5)), ("y", SVG.number(at.y - 5)), ("width", "10"), ("height", "10"),
                ("fill", "#c2410c"), ("stroke", "#1d2430"),
            ]),
            .element("text", attributes: [
                ("x", SVG.number(labelX)), ("y", SVG.number(labelY)), ("font-weight", "700"), ("fill", "#1d2430"),
            ], [.text(String(number))]),
        ])
    }
}
