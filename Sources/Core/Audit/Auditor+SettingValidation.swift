import Model

extension Auditor {
    /// Every setting a finding would write (`ALTER SYSTEM`, `ALTER DATABASE … SET`, `ALTER ROLE
    /// … SET`) checked against the server's `pg_settings` row: a value it would refuse becomes
    /// the best valid one, or the fix is dropped, and the finding's notes say why. Snapshots
    /// without the server's limits (older files) pass unchanged.
    static func validateSettings(_ findings: [Finding], snapshot: Snapshot, ramBytes: Int64?) -> [Finding] {
        findings.map { finding in
            var finding = finding
            finding.remediations = finding.remediations.compactMap { remediation in
                guard let (name, value) = settingWritten(by: remediation) else { return remediation }
                switch SettingValidation.check(name, value, on: snapshot, ramBytes: ramBytes) {
                case .valid:
                    return remediation
                case .replaced(let valid, let reason):
                    finding.notes.append("Checked against this server: \(reason).")
                    return withValue(remediation, valid)
                case .refused(let reason):
                    finding.notes.append("Not proposed: \(reason).")
                    return nil
                }
            }
            return finding
        }
    }

    static func settingWritten(by remediation: Remediation) -> (String, String)? {
        switch remediation {
        case .alterSystem(let name, let value, _), .alterDatabase(_, let name, let value), .alterRole(_, let name, let value):
            (name, value)
        default:
            nil
        }
    }

    static func withValue(_ remediation: Remediation, _ value: String) -> Remediation {
        switch remediation {
        case .alterSystem(let name, _, let restart): .alterSystem(name: name, value: value, restart: restart)
        case .alterDatabase(let database, let name, _): .alterDatabase(database: database, name: name, value: value)
        case .alterRole(let role, let name, _): .alterRole(role: role, name: name, value: value)
        default: remediation
        }
    }
}
