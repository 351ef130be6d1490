import Model

extension SnapshotDiff {
    /// Settings whose value (in its unit) differs, came or went, by name. A pending restart
    /// appearing is a change too: the file says one thing, the server another.
    static func settingChanges(old: Snapshot, new: Snapshot) -> [SettingChange] {
        let before = Dictionary(old.settings.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.settings.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [SettingChange] = []
        for name in Set(before.keys).union(after.keys).sorted() {
            let a = before[name], b = after[name]
            let sameValue = a?.value == b?.value && a?.unit == b?.unit
            if sameValue && (b?.pendingRestart ?? false) == (a?.pendingRestart ?? false) { continue }
            changes.append(SettingChange(
                name: name, oldValue: a.map(ConfigAdvisor.displayValue), newValue: b.map(ConfigAdvisor.displayValue),
                pendingRestart: b?.pendingRestart ?? false))
        }
        return changes
    }
}
