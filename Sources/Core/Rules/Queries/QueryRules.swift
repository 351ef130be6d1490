/// The rules of this category, in the order the rule reference lists them.
enum QueryRules {
    static let all: [any Rule.Type] = [
        SlowQueryRule.self,
        TopTimeQueryRule.self,
        CacheMissQueryRule.self,
        TempSpillQueryRule.self,
        StatementsUnavailableRule.self,
    ]
}
