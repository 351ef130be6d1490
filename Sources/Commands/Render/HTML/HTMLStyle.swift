/// The CSS every HTML report shares: system fonts, tables, severity badges, SQL blocks, charts,
/// and a print layout. Meaning never rests on colour alone: severities are also written out,
/// highlighted chart marks also differ in shape and are labelled.
///
/// Classes a report may use:
/// - `sev sev-critical|sev-warning|sev-info` — a severity badge (`HTMLStyle.badge`)
/// - `card` inside `cards` — a figure with its caption (`HTMLStyle.card`)
/// - `num` — a right-aligned numeric table cell; `muted` — secondary text
/// - `finding finding-critical|…` — a block with a coloured left rule
/// - `chart` — a figure holding an SVG chart and its caption
/// - `url` — a link printed as text (reports hold no external links)
/// - `evidence` — a label/value table whose label column keeps one width
/// - `id` on `<code>` — an identifier that must not break across lines (a rule id)
enum HTMLStyle {
    static let css = """
        :root { --fg: #1d2430; --muted: #5b6573; --line: #d5dae1; --bg-soft: #f4f6f9;
          --critical: #b3261e; --warning: #a15c00; --info: #1f5fa8; --bar: #4a78b0; --hot: #c2410c; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--fg); background: #fff;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 1.6em; margin: 0 0 4px; }
        h2 { font-size: 1.25em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.05em; margin: 0 0 6px; }
        p { margin: 6px 0; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
        code { overflow-wrap: anywhere; }
        pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px;
          white-space: pre-wrap; overflow-wrap: anywhere; margin: 8px 0; }
        table { border-collapse: collapse; margin: 8px 0 12px; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
        th { background: var(--bg-soft); font-weight: 600; white-space: nowrap; }
        td { overflow-wrap: anywhere; }
        td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        table.facts { width: auto; }
        table.facts th { text-align: left; background: none; padding-right: 16px; }
        .muted { color: var(--muted); }
        .url { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; color: var(--muted);
          overflow-wrap: anywhere; }
        .sev { display: inline-block; min-width: 5.6em; text-align: center; padding: 0 6px; border-radius: 3px;
          font-size: 0.78em; font-weight: 700; letter-spacing: 0.04em; border: 1.5px solid currentColor; white-space: nowrap; }
        .sev-critical { color: var(--critical); }
        .sev-warning { color: var(--warning); }
        .sev-info { color: var(--info); }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 140px; }
        .card .figure { font-size: 1.8em; font-weight: 700; line-height: 1.2; }
        .card .caption { color: var(--muted); font-size: 0.9em; }
        .card.critical { border-top: 4px solid var(--critical); }
        .card.warning { border-top: 4px solid var(--warning); }
        .card.info { border-top: 4px solid var(--info); }
        .finding { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 4px;
          padding: 12px 16px; margin: 14px 0; }
        .finding-critical { border-left-color: var(--critical); }
        .finding-warning { border-left-color: var(--warning); }
        .finding-info { border-left-color: var(--info); }
        .finding h3 .rule { font-weight: 400; color: var(--muted); }
        table.evidence th:first-child, table.evidence td:first-child { width: 34%; }
        code.id { white-space: nowrap; overflow-wrap: normal; }
        .finding ul { margin: 6px 0; padding-left: 20px; }
        .chart { margin: 10px 0 18px; }
        .chart svg { display: block; max-width: 100%; height: auto; }
        .chart figcaption { color: var(--muted); font-size: 0.9em; }
        @media print {
          body { font-size: 11pt; }
          main { max-width: none; padding: 0; }
          .finding, .chart, tr { break-inside: avoid; }
          h2 { break-after: avoid; }
          pre { white-space: pre-wrap; }
        }

        """

    /// A severity written out in a badge: readable in black and white. `label` replaces the
    /// severity's name (a review's FAIL drawn as critical).
    static func badge(_ severity: String, label: String? = nil) -> HTML {
        .element("span", attributes: [("class", "sev sev-\(severity)")], [.text((label ?? severity).uppercased())])
    }

    /// A big figure with its caption; `kind` adds a class (e.g. a severity's name).
    static func card(_ figure: String, _ caption: String, kind: String? = nil) -> HTML {
        .element("div", attributes: [("class", kind.map { "card \($0)" } ?? "card")], [
            .element("div", ["class": "figure"], text: figure),
            .element("div", ["class": "caption"], text: caption),
        ])
    }

    /// An address printed as text, never as a link: the page holds no external reference.
    static func url(_ address: String) -> HTML {
        .element("span", ["class": "url"], text: address)
    }
}
