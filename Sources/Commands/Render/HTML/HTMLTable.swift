/// A table with a header row; columns marked numeric are right-aligned.
///
/// ```swift
/// var table = HTMLTable(headers: ["index", "scans", "size"], numeric: [1, 2])
/// table.rows.append([.element("code", text: name), .text("0"), .text("12 MB")])
/// body.append(table.html)
/// ```
struct HTMLTable {
    var headers: [String]
    /// Indexes of the right-aligned (numeric) columns.
    var numeric: Set<Int> = []
    /// Each row's cells, in header order.
    var rows: [[HTML]] = []
    /// An extra class on the table (`facts` for a two-column label/value table).
    var className: String?

    init(headers: [String], numeric: Set<Int> = [], className: String? = nil) {
        self.headers = headers
        self.numeric = numeric
        self.className = className
    }

    /// Appends a row of plain text cells.
    mutating func append(text cells: [String]) {
        rows.append(cells.map(HTML.text))
    }

    var html: HTML {
        let head = HTML.element("thead", [.element("tr", headers.enumerated().map { i, title in
            .element("th", attributes: [("class", numeric.contains(i) ? "num" : nil)], [.text(title)])
        })])
        let body = HTML.element("tbody", rows.map { cells in
            .element("tr", cells.enumerated().map { i, cell in
                .element("td", attributes: [("class", numeric.contains(i) ? "num" : nil)], [cell])
            })
        })
        return .element("table", attributes: [("class", className)], [head, body])
    }
}
