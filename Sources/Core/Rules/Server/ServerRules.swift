/// The rules of this category, in the order the rule reference lists them.
enum ServerRules {
    static let all: [any Rule.Type] = [
        CacheHitRatioRule.self,
        CheckpointPressureRule.self,
        BackendWritesRule.self,
        TempFilesRule.self,
        LoggingSettingsRule.self,
        TimeoutsRule.self,
        MemorySettingsRule.self,
        MemoryOvercommitRule.self,
    ]
}
