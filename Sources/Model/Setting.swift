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
    /// `vartype`: `bool`, `integer`, `real`, `string` or `enum`.
    public var type: String
    /// `enumvals`: the values an enum setting accepts on this server build (`io_method` lists
    /// `io_uring` only when built with liburing). nil for other types, and in snapshots written
    /// before it was collected.
    public var enumValues: [String]?
    /// `min_val` / `max_val` of a number, in `unit`.
    public var minValue: String?
    public var maxValue: String?

    public init(
        name: String, value: String, unit: String? = nil, context: String = "user", source: String = "default",
        bootValue: String? = nil, resetValue: String? = nil, pendingRestart: Bool = false, type: String = "string",
        enumValues: [String]? = nil, minValue: String? = nil, maxValue: String? = nil
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
        self.enumValues = enumValues
        self.minValue = minValue
        self.maxValue = maxValue
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
