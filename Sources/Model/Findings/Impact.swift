/// What a finding costs, used to rank findings of the same severity.
///
/// `score` is a fraction of the relevant whole, comparable across rules: the share of total
/// execution time for a statement, the share of the database size for wasted bytes, the share
/// of a limit already used for wraparound and sequences. `summary` says the same for people.
public struct Impact: Equatable, Sendable {
    public var score: Double
    public var summary: String

    public init(score: Double, summary: String) {
        self.score = score.isFinite ? max(0, score) : 0
        self.summary = summary
    }

    public static let none = Impact(score: 0, summary: "")
}
