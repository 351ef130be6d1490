/// The rules of this category, in the order the rule reference lists them.
enum IndexRules {
    static let all: [any Rule.Type] = [
        UnusedIndexRule.self,
        DuplicateIndexRule.self,
        RedundantIndexRule.self,
        InvalidIndexRule.self,
        UnindexedForeignKeyRule.self,
        SeqScanHeavyTableRule.self,
        IndexBloatRule.self,
        MissingIndexRule.self,
    ]
}
