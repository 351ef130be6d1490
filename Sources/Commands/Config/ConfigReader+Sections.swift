import Core
import Foundation
import TOMLKit

/// The sections of the configuration file, each checked entry by entry.
extension ConfigReader {
    func rules(_ value: TOMLValueConvertible?) throws -> [(rule: String, key: String, value: String, line: Int)] {
        guard let value else { return [] }
        let rules = try table(value, at: "rules", example: "[rules.unused-index]")
        let ids = Set(RuleRegistry.descriptions.map(\.id))
        var entries: [(rule: String, key: String, value: String, line: Int)] = []
        for (rule, settings) in rules {
            let prefix = "rules.\(rule)"
            let table = try table(settings, at: prefix, example: "[rules.\(rule)]")
            guard ids.contains(rule) else { throw error(prefix, "unknown rule '\(rule)': 'pgadvisor rules' lists the rule ids") }
            for (key, setting) in table {
                let path = prefix + "." + key
                entries.append((rule, key, try settingText(setting, at: path), lines.line(of: path)))
            }
        }
        return entries.sorted { ($0.line, $0.key) < ($1.line, $1.key) }
    }

    func suppressions(_ value: TOMLValueConvertible?) throws -> [Suppression] {
        let ids = Set(RuleRegistry.descriptions.map(\.id))
        return try tables(value, at: "suppress").map { table, at in
            try checkKeys(table, allowed: ["rule", "target", "reason", "until"], at: at,
                          what: "a [[suppress]] entry takes rule, target, reason and until")
            let rule = try requiredString(table, "rule", at: at, why: "name the rule id, e.g. rule = \"unused-index\"")
            if !rule.contains("*") && !ids.contains(rule) {
                throw error(join(at, "rule"), "no rule '\(rule)': 'pgadvisor rules' lists the rule ids")
            }
            let target = try requiredString(table, "target", at: at,
                                            why: "name the target as the report does, e.g. target = \"shop.orders\" or \"shop.*\"")
            let reason = try requiredString(table, "reason", at: at, why: "say why this finding is accepted")
            let until = try table["until"].map { try day($0, at: join(at, "until")) }
            return Suppression(rule: rule, target: target, reason: reason, until: until,
                               file: path, line: lines.line(of: at))
        }
    }

    func host(_ value: TOMLValueConvertible, at prefix: String) throws -> HostFacts {
        let table = try table(value, at: prefix, example: "[host] with ram = \"64GB\"")
        try checkKeys(table, allowed: ["ram", "cpus", "storage", "workload"], at: prefix,
                      what: "[host] takes ram, cpus, storage and workload")
        return try hostFacts(table, at: prefix)
    }

    /// `ram`, `cpus`, `storage` and `workload` entries of a table (`[host]` or a target).
    func hostFacts(_ table: TOMLTable, at prefix: String) throws -> HostFacts {
        var facts = HostFacts()
        if let ram = table["ram"] {
            let key = join(prefix, "ram")
            let text = try string(ram, at: key)
            guard let bytes = MemoryUnits.bytes(text), bytes > 0 else {
                throw error(key, "\"\(text)\" is not a size such as 64GB or 512MB")
            }
            guard bytes >= HostOptionGroup.minimumRAM else {
                throw error(key, "\(text) is below the 256MB PostgreSQL needs to run with a useful configuration")
            }
            facts.ramBytes = bytes
        }
        if let cpus = table["cpus"] {
            guard let n = cpus.int, (1...100_000).contains(n) else {
                throw error(join(prefix, "cpus"), "must be a whole number from 1 to 100000")
            }
            facts.cpus = n
        }
        facts.storage = try choice(table["storage"], at: join(prefix, "storage"), StorageKind.self)
        facts.workload = try choice(table["workload"], at: join(prefix, "workload"), Workload.self)
        return facts
    }

    func choice<T: RawRepresentable & CaseIterable>(_ value: TOMLValueConvertible?, at key: String, _: T.Type) throws -> T?
    where T.RawValue == String {
        guard let value else { return nil }
        let text = try string(value, at: key)
        guard let choice = T(rawValue: text) else {
            throw error(key, "\"\(text)\" is not one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    func format(_ value: TOMLValueConvertible) throws -> OutputFormat {
        let text = try string(value, at: "format")
        guard let format = OutputFormat(rawValue: text), AuditRenderer.formats.contains(format) else {
            throw error("format", "\"\(text)\" is not a report format: \(ReportOutputGroup.list(AuditRenderer.formats))")
        }
        return format
    }

    func targets(_ value: TOMLValueConvertible?) throws -> [FleetTarget] {
        var seen: Set<String> = []
        return try tables(value, at: "targets").map { table, at in
            try checkKeys(table, allowed: ["name", "conninfo", "service", "ram", "cpus", "storage", "workload"], at: at,
                          what: "a [[targets]] entry takes name, conninfo or service, ram, cpus, storage and workload")
            let name = try requiredString(table, "name", at: at, why: "give the target a name, e.g. name = \"orders\"")
            guard FleetTarget.isValidName(name) else {
                throw error(join(at, "name"), "\"\(name)\" is not a folder name: use letters, digits, '.', '_' and '-'")
            }
            guard seen.insert(name).inserted else { throw error(join(at, "name"), "\"\(name)\" is used by an earlier target") }
            let conninfo = try table["conninfo"].map { try string($0, at: join(at, "conninfo")) }
            let service = try table["service"].map { try string($0, at: join(at, "service")) }
            guard (conninfo == nil) != (service == nil) else {
                throw error(at, "give either conninfo (a connection string or URI) or service (a pg_service.conf name)")
            }
            return FleetTarget(name: name, conninfo: conninfo ?? FleetTarget.serviceConninfo(service ?? ""),
                               host: try hostFacts(table, at: at))
        }
    }
}
