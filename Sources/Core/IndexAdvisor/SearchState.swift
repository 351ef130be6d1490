import Model

/// Where the greedy search stands: the candidates that passed screening, those chosen so far
/// and the bytes they take, and why each other candidate of the pool was not taken (the
/// latest reason wins; none when it was still in the running).
struct SearchState {
    /// A candidate hypopg could simulate, with its estimated size and write overhead.
    struct Candidate {
        let spec: IndexSpec
        let size: Int64
        let overhead: WriteOverhead
        /// The time the overhead takes per day, the search's write penalty.
        let penaltyPerDay: Double
    }

    /// The screened candidates in the order they were generated, so ties go to the first.
    let pool: [Candidate]
    private(set) var chosen: [Candidate] = []
    private(set) var usedBytes: Int64 = 0
    var reasons: [IndexSpec: String] = [:]
    /// true when the EXPLAIN budget ended the search before it ran out of candidates.
    var stopped = false

    init(pool: [Candidate]) {
        self.pool = pool
    }

    var chosenSpecs: [IndexSpec] { chosen.map(\.spec) }

    func isChosen(_ spec: IndexSpec) -> Bool { chosen.contains { $0.spec == spec } }

    /// The pool's candidates not chosen, in order.
    var unchosen: [Candidate] { pool.filter { !isChosen($0.spec) } }

    /// Adds `candidate` to the picks, and forgets any reason it had not to be.
    mutating func choose(_ candidate: Candidate) {
        chosen.append(candidate)
        usedBytes += candidate.size
        reasons[candidate.spec] = nil
    }

    /// Takes `candidate` out of the picks, for `reason`.
    mutating func drop(_ candidate: Candidate, reason: String) {
        chosen.removeAll { $0.spec == candidate.spec }
        usedBytes -= candidate.size
        reasons[candidate.spec] = reason
    }
}
