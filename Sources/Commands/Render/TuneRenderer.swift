import Core
import Foundation
import Model
import Planner

/// Prints the configuration advice as text, Markdown or JSON.
enum TuneRenderer {
    static let schemaVersion = 1

    static func render(_ advice: ConfigAdvice, sources: TuneInputs, snapshot: Snapshot?, as format: OutputFormat) throws -> String {
        switch format {
        case .text: return text(advice, sources: sources, snapshot: snapshot)
        case .markdown: return markdown(advice, sources: sources, snapshot: snapshot)
        case .json: return try JSONOutput.encode(json(advice, sources: sources, snapshot: snapshot))
        case .html, .junit, .github: throw OutputFormat.Unsupported(format: format)
        }
    }

    static func inputRows(_ advice: ConfigAdvice, _ sources: TuneInputs) -> [[String]] {
        let i = advice.inputs
        return [
            ["RAM", MemoryUnits.display(kB: i.ramKB), sources.sources["ram"] ?? ""],
            ["CPUs", i.cpus.map(String.init) ?? "-", sources.sources["cpus"] ?? ""],
            ["storage", i.storage.rawValue, sources.sources["storage"] ?? ""],
            ["workload", i.workload.rawValue, sources.sources["workload"] ?? ""],
            ["connections", String(advice.connections), advice.connectionsSource ?? sources.sources["connections"] ?? ""],
            ["data size", i.dataSize.rawValue, sources.sources["dataSize"] ?? ""],
            ["version", String(i.majorVersion), sources.sources["version"] ?? ""],
            ["OS", i.os.rawValue, sources.sources["os"] ?? ""],
        ]
    }

    /// ALTER SYSTEM for every setting that differs, then the reload, then what needs a restart.
    static func script(_ advice: ConfigAdvice) -> [String] {
        let changes = advice.settings.filter(\.changes)
        guard !changes.isEmpty else { return [] }
        var lines = StatementSQL.alterSystemScript(changes.map { ($0.name, $0.recommended) })
        let restart = changes.filter(\.restart).map(\.name)
        if !restart.isEmpty {
            lines.append("-- restart the server to apply: " + restart.joined(separator: ", "))
            lines.append("-- before restarting: postgres -D <data directory> -C <setting> shows what the server will read, or the error a bad entry causes;")
            lines.append("-- it does not test memory: check the machine has shared_buffers free (and huge pages for huge_pages = on)")
        }
        return lines
    }

    static func budgetLine(_ b: MemoryBudget) -> String {
        let perQuery = String(MemoryBudget.workMemPerConnection)
        let sharedBuffers = MemoryUnits.display(kB: b.sharedBuffersKB)
        let workMem = MemoryUnits.display(kB: b.workMemKB)
        let autovacuum = MemoryUnits.display(kB: b.autovacuumMemKB)
        let total = Format.bytes(b.totalKB * 1024)
        let share = Format.percent(b.share, digits: 0)
        var line = "shared_buffers \(sharedBuffers) + (\(b.busyConnections) busy of \(b.connections) connections + "
        line += "\(b.parallelWorkers) parallel workers) × work_mem \(workMem) × \(perQuery) + autovacuum "
        let full = Int64(b.autovacuumWorkers) * b.autovacuumMemKB == b.autovacuumTotalKB
        line += full ? "\(b.autovacuumWorkers) workers × \(autovacuum)"
            : "\(Format.bytes(b.autovacuumTotalKB * 1024)) (\(b.autovacuumWorkers) workers, up to \(autovacuum) each, bounded by the largest tables)"
        line += " = \(total), \(share) of RAM"
        if b.overcommits { line += " (OVERCOMMIT: above 90 %)" }
        return line
    }

    static func tierCells(_ t: PoolTier) -> [String] {
        var bouncer = "-"
        if let b = t.pgbouncer {
            bouncer = "pool_mode=\(b.poolMode) default_pool_size=\(b.defaultPoolSize) max_client_conn=\(b.maxClientConn)"
        }
        let name: String = t.load.rawValue + (t.observed ? " *" : "")
        let connect: String = t.needsPooler ? "pgbouncer" : "direct"
        return [name, t.load.users, String(t.poolSize), String(t.maxOverflow), String(t.total), connect,
                String(t.maxConnections), bouncer]
    }

    static let tierHeaders = ["tier", "users", "pool_size", "max_overflow", "total", "connect", "max_connections", "pgbouncer"]

    // MARK: Text

    static func text(_ advice: ConfigAdvice, sources: TuneInputs, snapshot: Snapshot?) -> String {
        let i = advice.inputs
        var out = ["pgadvisor tune — PostgreSQL \(i.majorVersion), \(i.workload.rawValue) workload on "
            + "\(MemoryUnits.display(kB: i.ramKB)) RAM" + (i.cpus.map { ", \($0) CPUs" } ?? "")
            + (snapshot.map { " (server \($0.server.database))" } ?? " (calculator)"), ""]
        var inputs = TextTable(headers: ["input", "value", "source"], alignments: [.left, .left, .left])
        inputs.rows = inputRows(advice, sources)
        out.append(inputs.render())
        for note in sources.notes { out.append("  note: \(note)") }

        out += ["", "Settings"]
        var table = TextTable(headers: ["setting", "current", "recommended", "applies", "reason"],
                              alignments: [.left, .right, .right, .left, .left])
        for s in advice.settings {
            table.rows.append([s.name, s.current ?? "-", s.recommended + (s.changes || s.current == nil ? "" : " ="),
                               s.restart ? "restart" : "reload", s.reason])
        }
        out.append(table.render())
        if snapshot != nil { out.append("  = the server already has the recommended value") }

        if !advice.adjustments.isEmpty {
            out += ["", "Beyond the calculator"]
            for a in advice.adjustments {
                out.append("  - \(a.kind.rawValue): " + (a.value.map { "\(a.setting) = \($0). " } ?? "") + a.detail)
            }
        }
        out += ["", "Memory budget"]
        if let current = advice.currentBudget { out.append("  current:     " + budgetLine(current)) }
        out.append("  recommended: " + budgetLine(advice.recommendedBudget))

        let p = advice.pools
        out += ["", "Connection pools (\(p.cores) cores: about \(p.ceiling) useful concurrent connections = cores × 2 + "
            + "\(p.effectiveSpindles) effective spindle\(p.effectiveSpindles == 1 ? "" : "s"); headroom \(p.headroom) for "
            + "superuser, replication and maintenance)"]
        var pools = TextTable(headers: tierHeaders, alignments: [.left, .left, .right, .right, .right, .left, .right, .left])
        pools.rows = p.tiers.map(tierCells)
        out.append(pools.render())
        if p.tiers.contains(where: \.observed) { out.append("  * the tier of the connections open on the server now") }

        if !advice.warnings.isEmpty {
            out += ["", "Warnings"] + advice.warnings.map { "  - \($0)" }
        }
        let sql = script(advice)
        out += ["", "Script (ALTER SYSTEM cannot run in a transaction block: run each line on its own)"]
        out += sql.isEmpty ? ["  -- nothing to change"] : sql.map { "  " + $0 }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    static func markdown(_ advice: ConfigAdvice, sources: TuneInputs, snapshot: Snapshot?) -> String {
        let i = advice.inputs
        var out = ["# pgadvisor tune — PostgreSQL \(i.majorVersion), \(i.workload.rawValue), \(MemoryUnits.display(kB: i.ramKB)) RAM", ""]
        out += ["| input | value | source |", "|---|---|---|"]
        out += inputRows(advice, sources).map { "| \($0[0]) | \($0[1]) | \(cell($0[2])) |" }
        out += sources.notes.map { "\n> \($0)" }
        out += ["", "## Settings", "", "| setting | current | recommended | applies | reason |", "|---|---:|---:|---|---|"]
        out += advice.settings.map {
            "| `\($0.name)` | \($0.current ?? "-") | \($0.recommended) | \($0.restart ? "restart" : "reload") | \(cell($0.reason)) |"
        }
        if !advice.adjustments.isEmpty {
            out += ["", "## Beyond the calculator", ""]
            out += advice.adjustments.map { a in
                "- **\(a.kind.rawValue)**: " + (a.value.map { "`\(a.setting) = \($0)` — " } ?? "") + cell(a.detail)
            }
        }
        out += ["", "## Memory budget", ""]
        if let current = advice.currentBudget { out.append("- current: " + budgetLine(current)) }
        out.append("- recommended: " + budgetLine(advice.recommendedBudget))
        out += ["", "## Connection pools", "", "\(advice.pools.cores) cores, about \(advice.pools.ceiling) useful concurrent connections.", ""]
        out += ["| " + tierHeaders.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: tierHeaders.count)]
        out += advice.pools.tiers.map { "| " + tierCells($0).joined(separator: " | ") + " |" }
        if !advice.warnings.isEmpty { out += ["", "## Warnings", ""] + advice.warnings.map { "- \(cell($0))" } }
        let sql = script(advice)
        if !sql.isEmpty { out += ["", "## Script", "", "```sql"] + sql + ["```"] }
        return out.joined(separator: "\n") + "\n"
    }

    static func cell(_ text: String) -> String { SummaryRenderer.markdownCell(text) }

    // MARK: JSON

    struct JSONReport: Encodable {
        var schemaVersion: Int
        var generator: String
        var inputs: JSONInputs
        var settings: [JSONSetting]
        var adjustments: [JSONAdjustment]
        var memory: JSONMemory
        var pools: JSONPools
        var warnings: [String]
        var notes: [String]
        var script: [String]
    }

    struct JSONFact<Value: Encodable>: Encodable {
        var value: Value
        var source: String
    }

    struct JSONInputs: Encodable {
        var ramBytes: JSONFact<Int64>
        var cpus: JSONFact<Int?>
        var storage: JSONFact<String>
        var workload: JSONFact<String>
        var connections: JSONFact<Int>
        var dataSize: JSONFact<String>
        var version: JSONFact<Int>
        var os: JSONFact<String>
    }

    struct JSONSetting: Encodable {
        var name: String
        var current: String?
        var recommended: String
        var restart: Bool
        var reason: String
        var pgtune: String
    }

    struct JSONAdjustment: Encodable {
        var kind: String
        var setting: String
        var value: String?
        var detail: String
    }

    struct JSONBudget: Encodable {
        var totalBytes: Int64
        var ramBytes: Int64
        var share: Double
        var overcommits: Bool
        var sharedBuffersBytes: Int64
        var connections: Int
        var parallelWorkers: Int
        var workMemBytes: Int64
        var busyConnections: Int
        var workMemPerConnection: Double
        var autovacuumBytes: Int64
        var safeWorkMemBytes: Int64

        init(_ b: MemoryBudget) {
            totalBytes = b.totalKB * 1024
            ramBytes = b.ramKB * 1024
            share = (b.share * 10_000).rounded() / 10_000
            overcommits = b.overcommits
            sharedBuffersBytes = b.sharedBuffersKB * 1024
            connections = b.connections
            parallelWorkers = b.parallelWorkers
            workMemBytes = b.workMemKB * 1024
            busyConnections = b.busyConnections
            workMemPerConnection = MemoryBudget.workMemPerConnection
            autovacuumBytes = b.autovacuumTotalKB * 1024
            safeWorkMemBytes = b.safeWorkMemKB * 1024
        }
    }

    struct JSONMemory: Encodable {
        var current: JSONBudget?
        var recommended: JSONBudget
    }

    struct JSONPools: Encodable {
        var cores: Int
        var effectiveSpindles: Int
        var ceiling: Int
        var headroom: Int
        var tiers: [JSONTier]
    }

    struct JSONTier: Encodable {
        var tier: String
        var users: String
        var poolSize: Int
        var maxOverflow: Int
        var total: Int
        var needsPooler: Bool
        var maxConnections: Int
        var pgbouncer: JSONPgBouncer?
        var observed: Bool
    }

    struct JSONPgBouncer: Encodable {
        var poolMode: String
        var defaultPoolSize: Int
        var maxClientConn: Int
    }

    static func json(_ advice: ConfigAdvice, sources s: TuneInputs, snapshot: Snapshot?) -> JSONReport {
        let i = advice.inputs
        func src(_ key: String) -> String { s.sources[key] ?? "" }
        return JSONReport(
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)",
            inputs: JSONInputs(
                ramBytes: JSONFact(value: i.ramBytes, source: src("ram")), cpus: JSONFact(value: i.cpus, source: src("cpus")),
                storage: JSONFact(value: i.storage.rawValue, source: src("storage")),
                workload: JSONFact(value: i.workload.rawValue, source: src("workload")),
                connections: JSONFact(value: advice.connections, source: advice.connectionsSource ?? src("connections")),
                dataSize: JSONFact(value: i.dataSize.rawValue, source: src("dataSize")),
                version: JSONFact(value: i.majorVersion, source: src("version")), os: JSONFact(value: i.os.rawValue, source: src("os"))),
            settings: advice.settings.map {
                JSONSetting(name: $0.name, current: $0.current, recommended: $0.recommended, restart: $0.restart,
                            reason: $0.reason, pgtune: $0.pgtune)
            },
            adjustments: advice.adjustments.map {
                JSONAdjustment(kind: $0.kind.rawValue, setting: $0.setting, value: $0.value, detail: $0.detail)
            },
            memory: JSONMemory(current: advice.currentBudget.map(JSONBudget.init), recommended: JSONBudget(advice.recommendedBudget)),
            pools: JSONPools(
                cores: advice.pools.cores, effectiveSpindles: advice.pools.effectiveSpindles, ceiling: advice.pools.ceiling,
                headroom: advice.pools.headroom,
                tiers: advice.pools.tiers.map { t in
                    JSONTier(tier: t.load.rawValue, users: t.load.users, poolSize: t.poolSize, maxOverflow: t.maxOverflow,
                             total: t.total, needsPooler: t.needsPooler, maxConnections: t.maxConnections,
                             pgbouncer: t.pgbouncer.map { JSONPgBouncer(poolMode: $0.poolMode, defaultPoolSize: $0.defaultPoolSize,
                                                                          maxClientConn: $0.maxClientConn) },
                             observed: t.observed)
                }),
            warnings: advice.warnings, notes: s.notes, script: script(advice))
    }
}
