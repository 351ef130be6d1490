import Model

/// Diagnostic logging and timing that is off: problems between snapshots leave no trace.
public enum LoggingSettingsRule: Rule {
    public static let description = RuleDescription(
        id: "logging-settings",
        title: "Diagnostic logging off",
        category: .server,
        severity: .info,
        requirements: [.source("settings")],
        summary: "log_min_duration_statement, log_lock_waits, log_checkpoints, log_temp_files or track_io_timing left off; one finding per setting.",
        rationale: """
            A snapshot shows counters; the server log shows the incidents between snapshots, with \
            their statements and parameters. Five settings make the log and the statistics useful \
            for diagnosis and cost little: log_min_duration_statement (off at -1; `log-min-duration`, \
            1 s, logs only statements slower than that, postgresqltuner's floor against log volume), \
            log_lock_waits (a line when a lock wait exceeds deadlock_timeout), log_checkpoints (on by \
            default since PostgreSQL 15), log_temp_files (off at -1; `log-temp-files`, 10 MB, logs \
            the temporary files worth knowing about, where 0 would log every small spill) and \
            track_io_timing (I/O time in pg_stat_statements and pg_stat_database; measure the clock \
            overhead with pg_test_timing first). Each is reported on its own, as info, with an ALTER \
            SYSTEM that needs a restart only when the setting's context is postmaster.
            """,
        manual: "https://www.postgresql.org/docs/current/runtime-config-logging.html",
        parameters: [
            RuleParameter("log-min-duration", .duration(seconds: 1), "The log_min_duration_statement to suggest."),
            RuleParameter("log-temp-files", .bytes(10 << 20), "The log_temp_files to suggest."),
        ],
        examples: [
            RuleExample("PostgreSQL 15 defaults", .triggers([
                .setting("log_min_duration_statement"), .setting("log_lock_waits"), .setting("log_temp_files"),
                .setting("track_io_timing"),
            ]), snapshot: Example.snapshot()),
            RuleExample("log_checkpoints off (the default before PostgreSQL 15)", .triggers([.setting("log_checkpoints")]),
                        snapshot: Example.snapshot(settings: configured + [Example.setting("log_checkpoints", "off")])),
            RuleExample("all five set", .passes, snapshot: Example.snapshot(settings: configured)),
            RuleExample.withoutSource("settings", state: .denied, "settings not read"),
        ]
    )

    /// The five settings turned on, for examples.
    static let configured: [Setting] = [
        Example.setting("log_min_duration_statement", "1000", unit: "ms", context: "superuser"),
        Example.setting("log_lock_waits", "on", context: "superuser"),
        Example.setting("log_checkpoints", "on"),
        Example.setting("log_temp_files", "10240", unit: "kB", context: "superuser"),
        Example.setting("track_io_timing", "on", context: "superuser"),
    ]

    struct Check {
        var name: String
        var isOff: (Setting) -> Bool
        var value: String
        var message: String
        var notes: [String] = []
    }

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let minDuration = ConfigValue.duration(ms: context.parameters.milliseconds("log-min-duration"))
        let tempFiles = MemoryUnits.display(bytes: context.parameters.bytes("log-temp-files"))
        let deadlockTimeout = context.snapshot.setting("deadlock_timeout")?.milliseconds.map { Format.duration(ms: $0) } ?? "1 s"
        let checks = [
            Check(name: "log_min_duration_statement", isOff: { $0.number == -1 }, value: minDuration,
                  message: "log_min_duration_statement is -1: no statement is logged for its duration, so a slow statement "
                    + "leaves no trace with its parameters; \(minDuration) logs only the statements slower than that."),
            Check(name: "log_lock_waits", isOff: { $0.boolValue == false }, value: "on",
                  message: "log_lock_waits is off: a session waiting longer than deadlock_timeout (\(deadlockTimeout)) for a lock "
                    + "leaves no line in the server log, so blocking between snapshots goes unseen."),
            Check(name: "log_checkpoints", isOff: { $0.boolValue == false }, value: "on",
                  message: "log_checkpoints is off: the server log does not say when checkpoints start, why, and how long "
                    + "they take to write and sync."),
            Check(name: "log_temp_files", isOff: { $0.number == -1 }, value: tempFiles,
                  message: "log_temp_files is -1: temporary files are not logged, so the statements that spill to disk "
                    + "cannot be found in the server log; \(tempFiles) logs each temporary file of that size or more with its statement."),
            Check(name: "track_io_timing", isOff: { $0.boolValue == false }, value: "on",
                  message: "track_io_timing is off: pg_stat_statements and pg_stat_database record no I/O time, so a read "
                    + "from disk cannot be told from one served by the operating system's page cache.",
                  notes: ["Timing costs two clock reads per I/O: run pg_test_timing on the server first; "
                      + "on good hardware the average overhead per timing call is below about 100 ns. If it is much higher, measure the workload before leaving it on."]),
        ]
        return checks.compactMap { check in
            guard let setting = context.snapshot.setting(check.name), check.isOff(setting) else { return nil }
            let restart = setting.context == "postmaster"
            return Finding(
                rule: description.id, severity: .info, target: .setting(setting.name),
                message: check.message,
                evidence: [Evidence("value", "value", .text(setting.value))]
                    + (setting.unit.map { [Evidence("unit", "unit", .text($0))] } ?? [])
                    + [
                        Evidence("suggested", "suggested", .text(check.value)),
                        Evidence("source", "set by", .text(setting.source)),
                        Evidence("context", "context", .text(setting.context)),
                    ],
                remediations: [.alterSystem(name: setting.name, value: check.value, restart: restart)],
                impact: Impact(score: 0, summary: "diagnostics"),
                notes: check.notes)
        }
    }
}
