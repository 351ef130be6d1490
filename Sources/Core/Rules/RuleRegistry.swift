/// Every audit rule, by category in the order the rule reference lists them. Each category
/// keeps its list next to its rules (`Rules/<Category>/<Category>Rules.swift`); a test checks
/// the lists against the `*Rule.swift` files on disk, so a new rule cannot be forgotten.
public enum RuleRegistry {
    public static let all: [any Rule.Type] =
        QueryRules.all + IndexRules.all + TableRules.all + SessionRules.all + ServerRules.all

    public static var descriptions: [RuleDescription] { all.map { $0.description } }

    public static func rule(id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}
