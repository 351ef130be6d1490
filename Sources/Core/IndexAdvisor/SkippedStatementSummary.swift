import Model

/// The statements the index advisor did not cost, as a report shows them by default: the ones
/// worth reading one by one, and a counted line each for utility statements, catalog-only
/// statements and statements too light to matter, which on a server other tools visit are
/// most of the list (`--explain-rejections` shows every one).
public struct SkippedStatementSummary: Equatable, Sendable {
    /// A counted line: how many statements of one sort were left out of the list.
    public struct Group: Equatable, Sendable {
        public enum Sort: Equatable, Sendable {
            case utility, catalogOnly
            /// Each under this share of the workload's execution time.
            case light(share: Double)
        }

        public var sort: Sort
        public var count: Int
        /// Their most frequent leading keywords (`SET`, `BEGIN`, `SELECT`), at most five.
        public var keywords: [String]

        /// `12 utility statements (SET, BEGIN, COMMIT): no index serves them`.
        public var line: String {
            let noun = count == 1 ? "statement" : "statements"
            let seen = keywords.isEmpty ? "" : " (\(keywords.joined(separator: ", ")))"
            switch sort {
            case .utility: return "\(count) utility \(noun)\(seen): no index serves them"
            case .catalogOnly: return "\(count) catalog-only \(noun)\(seen): they read no table of the database"
            case .light(let share):
                return "\(count) other \(noun)\(seen), each under \(Format.percent(share, digits: 0)) of the workload's execution time"
            }
        }
    }

    /// Statements listed one by one, in the advisor's order.
    public var listed: [SkippedStatement]
    /// Counted lines for the rest, utility first; empty sorts are left out.
    public var groups: [Group]

    /// The share of execution time under which a skipped statement is only counted.
    public static let lightShare = 0.01

    public init(_ skipped: [SkippedStatement], workloadMs: Double?, lightShare: Double = Self.lightShare) {
        var listed: [SkippedStatement] = []
        var bySort: [(Group.Sort, [SkippedStatement])] = [(.utility, []), (.catalogOnly, []), (.light(share: lightShare), [])]
        for statement in skipped {
            switch statement.kind {
            case .utility: bySort[0].1.append(statement)
            case .catalogOnly: bySort[1].1.append(statement)
            case .other:
                if let total = workloadMs, total > 0, let ms = statement.statement.totalMs, ms / total < lightShare {
                    bySort[2].1.append(statement)
                } else {
                    listed.append(statement)
                }
            }
        }
        self.listed = listed
        groups = bySort.filter { !$0.1.isEmpty }.map { sort, statements in
            Group(sort: sort, count: statements.count, keywords: Self.keywords(statements))
        }
    }

    /// The leading keywords of `statements`, most frequent first (then alphabetical), at most five.
    static func keywords(_ statements: [SkippedStatement]) -> [String] {
        var counts: [String: Int] = [:]
        for statement in statements {
            let word = statement.statement.text.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ";" }).first
            guard let word, word.allSatisfy({ $0.isLetter || $0 == "_" }) else { continue }
            counts[word.uppercased(), default: 0] += 1
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5).map(\.key)
    }
}
