import Foundation
import Model

/// The settings a role gets at login in the audited database, from `pg_db_role_setting`: the
/// most specific row wins — (database, role), (every database, role), (database, every role),
/// (every database, every role) — and without a row the server's value applies.
public struct RoleSettings: Sendable {
    public let rows: [RoleSetting]
    /// false for snapshots written before `pg_db_role_setting` was collected: nothing is known.
    public let collected: Bool
    let database: String

    public init(_ snapshot: Snapshot) {
        rows = snapshot.roleSettings ?? []
        collected = snapshot.roleSettings != nil
        database = snapshot.server.database
    }

    /// The value `role` (nil: any role without its own) gets from `ALTER ROLE` or `ALTER
    /// DATABASE ... SET`, nil when no row sets it.
    public func value(_ name: String, role: String?) -> String? {
        var levels: [(database: String?, role: String?)] = [(database, nil), (nil, nil)]
        if let role { levels.insert(contentsOf: [(database, role), (nil, role)], at: 0) }
        for level in levels {
            if let row = rows.first(where: { $0.name == name && $0.database == level.database && $0.role == level.role }) {
                return row.value
            }
        }
        return nil
    }

    /// A duration setting `role` gets, in milliseconds (a bare number is in milliseconds, as for
    /// the timeouts); nil when no row sets it or the value does not read as a duration.
    public func milliseconds(_ name: String, role: String?) -> Double? {
        guard let raw = value(name, role: role) else { return nil }
        let text = raw.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        if let number = Double(text) { return number }
        guard case .duration(let seconds)? = ParameterValue.parse(text, as: .duration) else { return nil }
        return seconds * 1000
    }

    /// The role that runs most of the workload: the most statement time among the roles other
    /// than the auditing one, else the first application role connected.
    public static func workloadRole(_ snapshot: Snapshot) -> String? {
        var time: [String: Double] = [:]
        for statement in snapshot.statements where statement.toplevel != false {
            guard let user = statement.userName, user != snapshot.role.name else { continue }
            time[user, default: 0] += statement.totalExecTime
        }
        if let top = time.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) { return top.key }
        return TimeoutsRule.applicationRoles(snapshot).first
    }
}
