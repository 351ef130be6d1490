import Core
import Model

/// One section of the diff report as a table, shared by the text, Markdown and HTML forms.
struct DiffSection {
    var title: String
    /// Sentences printed under the title.
    var notes: [String] = []
    var headers: [String]
    /// Columns whose cells are numbers (right-aligned).
    var numeric: Set<Int> = []
    var rows: [[String]]

    var alignments: [TextTable.Alignment] { headers.indices.map { numeric.contains($0) ? .right : .left } }
}
