/// The rules of this category, in the order the rule reference lists them.
enum SessionRules {
    static let all: [any Rule.Type] = [
        BlockedSessionsRule.self,
        LongRunningQueryRule.self,
        IdleInTransactionRule.self,
        ConnectionSaturationRule.self,
        DeadlocksRule.self,
    ]
}
