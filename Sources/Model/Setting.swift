/// One row of `pg_settings`.
public struct Setting: Codable, Equatable, Sendable {
    public var name: String
    /// The current value in the setting's base unit, as `pg_settings.setting` shows it.
    public var value: String
    /// The base unit (`8kB`, `kB`, `ms`, `s`, ...), when the setting has one.
    public var unit: String?
    /// `postmaster` (restart), `sighup` (reload), `user`, `superuser`, ...
    public var context: String
    /// Where the value came from: `default`, `configuration file`, `command line`, ...
    public var source: String
    public var bootValue: String?
    public var resetValue: String?
    public var pendingRestart: Bool
    public var type: String

    public init(
        name: String, value: String, unit: String? = nil, context: String = "user", source: String = "default",
        bootValue: String? = nil, resetValue: String? = nil, pendingRestart: Bool = false, type: String = "string"
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.context = context
        self.source = source
        self.bootValue = bootValue
        self.resetValue = resetValue
        self.pendingRestart = pendingRestart
        self.type = type
    }

    /// The value read as a boolean (`on`/`off`), nil when it is not one.
    public var boolValue: Bool? {
        switch value.lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default: return nil
        }
    }
}
