/// The rules of this category, in the order the rule reference lists them.
enum TableRules {
    static let all: [any Rule.Type] = [
        TableBloatRule.self,
        AutovacuumDisabledRule.self,
        VacuumOverdueRule.self,
        AnalyzeOverdueRule.self,
        MissingPrimaryKeyRule.self,
        XidWraparoundRule.self,
        SequenceExhaustionRule.self,
        TimeSeriesTableRule.self,
    ]
}
