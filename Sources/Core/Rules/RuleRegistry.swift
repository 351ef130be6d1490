/// Every audit rule, in the order the rule reference lists them. A test checks this list
/// against the `*Rule.swift` files on disk, so a new rule cannot be forgotten here.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        // Queries
        SlowQueryRule.self,
        // Indexes
        UnusedIndexRule.self,
    ]

    public static var descriptions: [RuleDescription] { all.map { $0.description } }

    public static func rule(id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}
