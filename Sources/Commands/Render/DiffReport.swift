import Core
import Model

/// What the diff renderers print: the comparison and where its two sides came from.
struct DiffReport {
    var diff: SnapshotDiff
    /// The paths given for OLD and NEW (a snapshot file or a run folder).
    var oldSource: String
    var newSource: String
}
