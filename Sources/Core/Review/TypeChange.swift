import QueryParser

/// Whether `ALTER COLUMN ... TYPE` keeps the stored values as they are (no table rewrite): the
/// binary-coercible changes PostgreSQL recognises, by type name and modifiers.
enum TypeChange {
    /// Types whose modifier is a length or precision: a larger one (or none) keeps the values.
    private static let widening: Set<String> = ["varchar", "varbit", "timestamp", "timestamptz", "time", "timetz"]

    static func keepsValues(from old: TypeReference, to new: TypeReference) -> Bool {
        guard old.arrayDepth == new.arrayDepth else { return false }
        let from = old.name, to = new.name
        if from == to {
            if old.modifiers == new.modifiers { return true }
            if new.modifiers.isEmpty { return widening.contains(from) || from == "numeric" }
            if widening.contains(from), let a = old.modifiers.first, let b = new.modifiers.first { return b >= a }
            if from == "numeric" { return numericWidens(old.modifiers, new.modifiers) }
            return false
        }
        switch (from, to) {
        case ("varchar", "text"), ("cidr", "inet"): return true
        case ("text", "varchar"): return new.modifiers.isEmpty
        default: return false
        }
    }

    /// `numeric(p, s)` to `numeric(p' ≥ p, s)`: same scale, no less precision.
    private static func numericWidens(_ old: [Int], _ new: [Int]) -> Bool {
        guard let p = old.first, let q = new.first else { return false }
        let s = old.count > 1 ? old[1] : 0, t = new.count > 1 ? new[1] : 0
        return q >= p && s == t
    }
}
