import Model
import Planner

/// pg_stat_statements missing, unreadable or only partly visible: the query rules are blind.
public enum StatementsUnavailableRule: Rule {
    static let library = "pg_stat_statements"

    public static let description = RuleDescription(
        id: "statements-unavailable",
        title: "Statement statistics unavailable",
        category: .queries,
        severity: .warning,
        summary: "pg_stat_statements is not loaded, not created in the database, or not readable, with the exact fix; partial visibility (hidden entries, evicted entries, tracking off) as info.",
        rationale: """
            Every statement rule reads pg_stat_statements; without it the audit cannot say which \
            queries cost the most, and those rules are skipped. The extension needs two steps: the \
            library in shared_preload_libraries (a restart) and CREATE EXTENSION in the database. The \
            rule reads shared_preload_libraries and the extension catalog to say which step is missing \
            and keeps the libraries already preloaded. When the view is readable, three things still \
            make its picture incomplete, each reported as info on its own target: entries of other \
            roles whose text is hidden (the auditing role lacks pg_read_all_stats), entries evicted \
            because pg_stat_statements.max was reached (each eviction drops about 5 % of the least \
            used entries), and pg_stat_statements.track = none (nothing is recorded).
            """,
        manual: "https://www.postgresql.org/docs/current/pgstatstatements.html",
        examples: [
            RuleExample("neither preloaded nor created; auto_explain already preloaded",
                        .triggers([.setting("shared_preload_libraries")]), snapshot: Example.snapshot(
                settings: [Example.setting("shared_preload_libraries", "auto_explain", context: "postmaster")],
                extensions: [ExtensionInfo(name: library, defaultVersion: "1.10")],
                missingSources: [library: .missing, "pg_stat_statements_info": .missing])),
            RuleExample("preloaded but not created in this database", .triggers([.database("app")]), snapshot: Example.snapshot(
                extensions: [ExtensionInfo(name: library, defaultVersion: "1.10")],
                missingSources: [library: .missing, "pg_stat_statements_info": .missing])),
            RuleExample("created but not preloaded", .triggers([.setting("shared_preload_libraries")]), snapshot: Example.snapshot(
                settings: [Example.setting("shared_preload_libraries", "", context: "postmaster")],
                missingSources: [library: .missing, "pg_stat_statements_info": .missing])),
            RuleExample("the auditing role may not read it", .triggers([.server]), snapshot: Example.snapshot(
                missingSources: [library: .denied])),
            RuleExample("hidden entries and evictions", .triggers([.server, .setting("pg_stat_statements.max")]),
                        snapshot: partial(hidden: 3, deallocations: 12)),
            RuleExample("collected cleanly", .passes, snapshot: Example.snapshot(statements: [
                Example.statement(801, "SELECT * FROM orders WHERE id = $1", calls: 1000, meanMs: 0.2),
            ])),
            RuleExample("a snapshot written before sources were recorded", .skipped("not in this snapshot"),
                        snapshot: withoutSource(Example.snapshot(), library)),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        guard let source = snapshot.source(library) else {
            throw RuleSkip("\(library) is not in this snapshot (written by an older pgadvisor): take a new snapshot")
        }
        if source.isUsable { return partialVisibility(snapshot) }
        switch source.state {
        case .denied, .failed:
            return [unreadable(snapshot, source)]
        case .missing, .collected, .partial:
            return [notInstalled(snapshot, source)]
        }
    }

    // MARK: - Not installed

    private static func notInstalled(_ snapshot: Snapshot, _ source: SourceStatus) -> Finding {
        let database = snapshot.server.database
        let preload = snapshot.setting("shared_preload_libraries")
        let libraries = preload.map { SettingList.entries($0.value) }
        let preloaded = libraries.map { $0.contains(library) }
        let extensionsKnown = snapshot.source("extensions")?.isUsable ?? false
        let ext = snapshot.extension(library)
        let created = extensionsKnown ? ext?.isInstalled ?? false : nil
        let available = extensionsKnown ? ext?.isAvailable ?? false : nil

        var evidence: [Evidence] = [Evidence("sourceState", "pg_stat_statements", .text(source.state.rawValue))]
        if let reason = source.reason { evidence.append(Evidence("reason", "reason", .text(reason))) }
        if let libraries { evidence.append(Evidence("sharedPreloadLibraries", "shared_preload_libraries", .list(libraries))) }
        if let created { evidence.append(Evidence("extensionCreated", "extension created in \(database)", .flag(created))) }
        if let available { evidence.append(Evidence("extensionAvailable", "extension available on the server", .flag(available))) }

        var remediations: [Remediation] = []
        var notes: [String] = []
        var problems: [String] = []
        if available == false {
            problems.append("the pg_stat_statements module is not installed on the server")
            remediations.append(.manual(
                "Install PostgreSQL's contrib modules on the server (Debian: postgresql-\(snapshot.server.majorVersion), "
                    + "Red Hat: postgresql\(snapshot.server.majorVersion)-contrib)"))
        }
        if preloaded == false, let preload, let libraries {
            problems.append("the library is not in shared_preload_libraries")
            let value = SettingList.text(libraries + [library])
            remediations.append(.alterSystem(name: preload.name, value: value, restart: preload.context == "postmaster"))
            if !libraries.isEmpty {
                notes.append("The libraries already loaded (\(libraries.joined(separator: ", "))) are kept. "
                    + "By hand, give ALTER SYSTEM each library as its own literal: one quoted string holding a comma names a single library, and the server will not start.")
            }
            if preload.pendingRestart {
                notes.append("shared_preload_libraries already has a change waiting for a restart: check postgresql.auto.conf and postgresql.conf before adding another.")
            }
        } else if preloaded == nil {
            problems.append("shared_preload_libraries could not be read by the auditing role")
            remediations.append(.manual(
                "Check that shared_preload_libraries includes pg_stat_statements (SHOW shared_preload_libraries as a superuser); if not, add it and restart the server"))
        }
        if created != true {
            problems.append("the extension is not created in database \(database)")
            remediations.append(.createExtension(library))
        }
        if problems.isEmpty {
            // Loaded and created by the catalogs' account, yet the view failed: the collector says why.
            problems.append(source.reason ?? "the view could not be read")
            remediations.append(.manual(source.fix ?? "Run SELECT * FROM pg_stat_statements LIMIT 1 in \(database) to see the error"))
        }
        let target: Target = preloaded == false || (preloaded == nil && created == true)
            ? .setting("shared_preload_libraries") : created == false ? .database(database) : .server
        return Finding(
            rule: description.id, severity: .warning, target: target,
            message: "pg_stat_statements is unavailable: " + problems.joined(separator: "; ")
                + ". Without it the audit cannot tell which statements cost the most.",
            evidence: evidence, remediations: remediations,
            impact: Impact(score: 1, summary: "no statement statistics"), notes: notes)
    }

    private static func unreadable(_ snapshot: Snapshot, _ source: SourceStatus) -> Finding {
        let reason = source.reason ?? "it was \(source.state.rawValue)"
        var evidence: [Evidence] = [
            Evidence("sourceState", "pg_stat_statements", .text(source.state.rawValue)),
            Evidence("reason", "reason", .text(reason)),
            Evidence("role", "auditing role", .text(snapshot.role.name)),
        ]
        if let fix = source.fix { evidence.append(Evidence("fix", "fix", .text(fix))) }
        return Finding(
            rule: description.id, severity: .warning, target: .server,
            message: "pg_stat_statements could not be read (\(source.state.rawValue)): \(reason)"
                + (reason.hasSuffix(".") ? "" : "."),
            evidence: evidence,
            remediations: [.manual(source.fix ?? "Connect as a role that is a member of pg_monitor and take a new snapshot")],
            impact: Impact(score: 1, summary: "no statement statistics"))
    }

    // MARK: - Partial visibility

    private static func partialVisibility(_ snapshot: Snapshot) -> [Finding] {
        guard let info = snapshot.statementsInfo else { return [] }
        var findings: [Finding] = []
        let track = snapshot.setting("pg_stat_statements.track")
        if (track?.value ?? info.track)?.lowercased() == "none" {
            var remediations: [Remediation] = []
            if let track {
                remediations.append(.alterSystem(name: track.name, value: "top", restart: track.context == "postmaster"))
            } else {
                remediations.append(.manual("Set pg_stat_statements.track = top in postgresql.conf and reload"))
            }
            findings.append(Finding(
                rule: description.id, severity: .warning, target: .setting("pg_stat_statements.track"),
                message: "pg_stat_statements.track is none: the extension is loaded but records no statement.",
                evidence: [Evidence("track", "pg_stat_statements.track", .text("none"))],
                remediations: remediations, impact: Impact(score: 1, summary: "no statement statistics")))
        }
        if info.hiddenEntries > 0 {
            let entries = snapshot.statements.count
            let role = SQLQuoting.identifier(snapshot.role.name)
            let share = entries > 0 ? Double(info.hiddenEntries) / Double(entries) : 1
            findings.append(Finding(
                rule: description.id, severity: .info, target: .server,
                message: "\(Format.count(info.hiddenEntries)) of \(Format.count(entries)) pg_stat_statements entries belong "
                    + "to other roles and their text is hidden from \(role): findings on them cannot show the query.",
                evidence: [
                    Evidence("hiddenEntries", "hidden entries", .count(Int64(info.hiddenEntries))),
                    Evidence("entries", "entries", .count(Int64(entries))),
                    Evidence("role", "auditing role", .text(snapshot.role.name)),
                ],
                remediations: [.manual("Make \(role) a member of pg_read_all_stats ("
                    + StatementSQL.grantRole("pg_read_all_stats", to: snapshot.role.name)
                    + "), or of pg_monitor, and take a new snapshot")],
                impact: Impact(score: share, summary: "\(Format.percent(share)) of entries hidden")))
        }
        if let evicted = info.deallocations, evicted > 0 {
            let limit = snapshot.setting("pg_stat_statements.max")
            let current = limit?.number.map { Int64($0) } ?? 5000
            var evidence: [Evidence] = [
                Evidence("deallocations", "evictions", .count(evicted)),
                Evidence("max", "pg_stat_statements.max", .count(current)),
            ]
            if let reset = info.statsReset { evidence.append(Evidence("statsReset", "since", .timestamp(reset))) }
            findings.append(Finding(
                rule: description.id, severity: .info, target: .setting("pg_stat_statements.max"),
                message: "pg_stat_statements ran out of room for new statements \(Format.count(evicted)) times"
                    + (info.statsReset.map { " since \($0)" } ?? "")
                    + ": each time the least used 5 % of its \(Format.count(current)) entries were dropped with their statistics, "
                    + "so totals undercount and rare statements vanish.",
                evidence: evidence,
                remediations: [.alterSystem(name: "pg_stat_statements.max", value: String(current * 2),
                                            restart: (limit?.context ?? "postmaster") == "postmaster")],
                impact: Impact(score: 0, summary: "\(Format.count(evicted)) evictions"),
                notes: ["If the application sends many distinct statements (literals instead of parameters, IN lists of varying length), "
                            + "a larger limit only delays the evictions: fix the statements.",
                        "Each entry takes shared memory, reserved at server start."]))
        }
        return findings
    }

    // MARK: - Example builders

    /// An example snapshot: `hidden` entries of another role and `deallocations` evictions.
    public static func partial(hidden: Int, deallocations: Int64) -> Snapshot {
        var s = Example.snapshot(statements: [
            Example.statement(801, "SELECT * FROM orders WHERE id = $1", calls: 1000, meanMs: 0.2),
        ] + (0..<hidden).map { i in
            StatementStats(queryId: nil, userName: "other", query: nil, calls: 100, totalExecTime: Double(10 + i))
        })
        s.statementsInfo?.hiddenEntries = hidden
        s.statementsInfo?.deallocations = deallocations
        return s
    }

    static func withoutSource(_ snapshot: Snapshot, _ name: String) -> Snapshot {
        var s = snapshot
        s.sources.removeAll { $0.name == name }
        return s
    }
}
