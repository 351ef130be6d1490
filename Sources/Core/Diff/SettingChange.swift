import Model

/// A server setting whose value differs between two snapshots.
public struct SettingChange: Equatable, Sendable {
    public var name: String
    /// As PostgreSQL prints it, with its unit (`128MB`, `5min`, `on`); nil when the snapshot lacks the setting.
    public var oldValue: String?
    public var newValue: String?
    /// NEW's value waits for a restart (`pending_restart`).
    public var pendingRestart: Bool

    public init(name: String, oldValue: String?, newValue: String?, pendingRestart: Bool = false) {
        self.name = name
        self.oldValue = oldValue
        self.newValue = newValue
        self.pendingRestart = pendingRestart
    }
}
