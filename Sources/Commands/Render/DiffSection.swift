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
    /// Columns of identifiers (query ids, users, rule ids) that HTML keeps on one line.
    var identifiers: Set<Int> = []

    var alignments: [TextTable.Alignment] { headers.indices.map { numeric.contains($0) ? .right : .left } }
}
