import Model

/// Planner-style selectivity estimates from `pg_stats` for one table, used to order index keys,
/// to find skewed conditions for partial indexes, and by the statistics cost model.
struct ColumnSelectivity {
    let rows: Double
    let stats: [String: ColumnStats]

    /// PostgreSQL's fallbacks when a column has no statistics (`selfuncs.h`).
    static let defaultDistinct = 200.0
    static let defaultRange = 1.0 / 3.0
    static let defaultPrefix = 0.005

    /// Distinct values of `column` (n_distinct, negative values scaled by the row count).
    func distinct(_ column: String) -> Double {
        guard let n = stats[column]?.distinctValues, n != 0 else { return Self.defaultDistinct }
        return n > 0 ? n : max(1, -n * rows)
    }

    /// The share of rows an equality condition on `key` keeps.
    func equality(_ key: AccessKey) -> Double {
        guard key.function == nil else { return 1 / Self.defaultDistinct }
        let nullFraction = stats[key.column]?.nullFraction ?? 0
        return max(0, 1 - nullFraction) / distinct(key.column)
    }

    /// The share of rows a partial-index condition keeps; nil without statistics to tell.
    func fraction(_ condition: RowCondition) -> Double? {
        guard let s = stats[condition.column] else { return nil }
        switch condition.test {
        case .isNull: return s.nullFraction
        case .isNotNull: return 1 - s.nullFraction
        case .isTrue: return frequency(of: ["t", "true"], in: s)
        case .isFalse: return frequency(of: ["f", "false"], in: s)
        case .equals(let literal): return frequency(of: [Self.unquoted(literal)], in: s)
        }
    }

    /// The share of rows holding one of `values`: its most-common-value frequency, or the
    /// rest of the rows spread over the other distinct values.
    private func frequency(of values: [String], in s: ColumnStats) -> Double {
        let mcv = s.mostCommonValues ?? []
        let freqs = s.mostCommonFrequencies ?? []
        for (i, value) in mcv.enumerated() where i < freqs.count && values.contains(value) { return freqs[i] }
        let rest = max(0, 1 - s.nullFraction - freqs.reduce(0, +))
        let others = max(1, distinct(s.column) - Double(mcv.count))
        return rest / others
    }

    /// `'open'` → `open`; numbers stay as they are.
    private static func unquoted(_ literal: String) -> String {
        guard literal.hasPrefix("'"), literal.hasSuffix("'"), literal.count >= 2 else { return literal }
        return String(literal.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
    }
}
