import Foundation

/// `audit --targets FILE` / `audit --fleet`: every target audited, one summary table.
extension AuditCommand {
    func runFleet(settings: AuditSettingsGroup.Settings, format: OutputFormat, started: Date) throws {
        let targets = try fleetTargets(settings)
        let flags = try host.facts()
        // Each target's machine: [host], then its own entries, then the flags; checked before any connection.
        let fileHost = settings.file?.host ?? HostFacts()
        let machine = { @Sendable (target: FleetTarget) in fileHost.overridden(by: target.host).overridden(by: flags) }
        for target in targets { try machine(target).checkComplete() }
        let base = AuditJob(
            options: try connection.connectionOptions(), exact: exact, configuration: settings.configuration, host: fileHost,
            suppressions: settings.file?.suppressions ?? [], today: .today(started))
        let run = FleetRun(
            targets: targets, jobs: runs.jobs ?? 4,
            job: { target in
                var job = base
                job.options.conninfo = target.conninfo
                job.host = machine(target)
                return job
            },
            save: runs.save.map { FleetRun.RunSaving(directory: $0, keep: runs.keep, started: started) },
            top: top, configFile: settings.file?.path)
        let outcomes = run.run()
        try output.emit(try FleetRenderer.render(outcomes, as: format, configFile: settings.file?.path))
        printNote(String(format: "audited %d targets in %.1f s, %d at a time", targets.count, Date().timeIntervalSince(started),
                         min(run.jobs, targets.count)))
        let failed = outcomes.filter { !$0.isOK }
        if !failed.isEmpty {
            throw CLIError("\(failed.count) of \(outcomes.count) targets could not be audited (\(failed.map(\.target.name).joined(separator: ", "))): see the table")
        }
        if let worst = outcomes.compactMap({ $0.result?.highestSeverity }).max(), outcomes.contains(where: { $0.reaches(failOn) }) {
            throw FindingsExit(severity: worst)
        }
    }

    /// `--targets FILE`, or the configuration file's `[[targets]]` with `--fleet`.
    func fleetTargets(_ settings: AuditSettingsGroup.Settings) throws -> [FleetTarget] {
        if let file = runs.targets { return try TargetList.read(file) }
        guard let config = settings.file else {
            throw CLIError("--fleet audits the [[targets]] of the configuration file, and there is none: "
                + "write ./pgadvisor.toml, give --config FILE, or use --targets FILE", exitCode: ExitStatus.usage)
        }
        guard !config.targets.isEmpty else {
            throw CLIError("\(config.path) has no [[targets]] entry for --fleet: add some (name and conninfo or service)",
                           exitCode: ExitStatus.usage)
        }
        return config.targets
    }
}
