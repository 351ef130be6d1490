import Model

/// Deadlocks counted in the current database since the statistics were reset.
public enum DeadlocksRule: Rule {
    public static let description = RuleDescription(
        id: "deadlocks",
        title: "Deadlocks",
        category: .sessions,
        severity: .warning,
        requirements: [.source("database")],
        summary: "Deadlocks in the current database since the statistics were reset (at least `min-deadlocks`), rated per day: info below `warning-per-day` (1), critical from `critical-per-day` (10).",
        rationale: """
            Each deadlock aborts one of the transactions involved with SQLSTATE 40P01 after \
            `deadlock_timeout`, so the application sees an error (and must retry) and the other \
            sessions wait in the meantime. They come from transactions that lock the same rows or \
            tables in different orders. `pg_stat_database.deadlocks` counts them since the last \
            statistics reset, so the rule divides by the age of the statistics, at least one day so \
            that a young window does not inflate the rate: a few deadlocks a month are reported as \
            info, one a day or more as a warning, `critical-per-day` or more as critical. When the \
            age is unknown the finding is a warning. The server log has a \"deadlock detected\" \
            entry for each one, with the processes, locks and statements; `log_lock_waits` adds \
            the waits that did not end in a deadlock.
            """,
        manual: "https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-DEADLOCKS",
        parameters: [
            RuleParameter("min-deadlocks", .count(1), "Fewer deadlocks since the statistics reset are not reported."),
            RuleParameter("warning-per-day", .number(1), "Deadlocks per day from which the finding is a warning (info below)."),
            RuleParameter("critical-per-day", .number(10), "Deadlocks per day from which the finding is critical."),
        ],
        examples: [
            RuleExample("120 deadlocks in 30 days", .triggers([.database("app")]),
                        snapshot: Example.snapshot(database: Example.database(deadlocks: 120))),
            RuleExample("3 deadlocks in 30 days (reported as info)", .triggers([.database("app")]),
                        snapshot: Example.snapshot(database: Example.database(deadlocks: 3))),
            RuleExample("no deadlocks", .passes, snapshot: Example.snapshot(database: Example.database(deadlocks: 0))),
            RuleExample("3 deadlocks with min-deadlocks = 5", .passes, parameters: ["min-deadlocks": "5"],
                        snapshot: Example.snapshot(database: Example.database(deadlocks: 3))),
            RuleExample.withoutSource("database", state: .failed, "database statistics not collected"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        guard let database = context.snapshot.database else {
            throw RuleSkip("pg_stat_database was not read: take a new snapshot")
        }
        let minDeadlocks = context.parameters.count("min-deadlocks")
        let warningPerDay = context.parameters.number("warning-per-day")
        let criticalPerDay = context.parameters.number("critical-per-day")
        let deadlocks = database.deadlocks
        guard deadlocks >= max(1, minDeadlocks) else { return [] }

        let age = context.facts.statisticsAge
        let perDay = age.map { Double(deadlocks) / max(1, $0.seconds / 86_400) }
        let severity: Severity
        switch perDay {
        case let rate? where rate >= criticalPerDay: severity = .critical
        case let rate? where rate < warningPerDay: severity = .info
        default: severity = .warning
        }

        let snapshot = context.snapshot
        let logLockWaits = snapshot.setting("log_lock_waits")?.boolValue
        let deadlockTimeout = snapshot.setting("deadlock_timeout")?.milliseconds
        let transactions = database.commits + database.rollbacks

        var message = "\(Format.count(deadlocks)) deadlock\(deadlocks == 1 ? "" : "s") in database "
            + SQLQuoting.identifier(database.name)
        if let age, let perDay {
            message += " in \(Format.age(seconds: age.seconds)) (since \(age.basis)), \(Format.decimal(perDay)) per day"
        } else {
            message += " since the statistics began (their age is unknown)"
        }
        message += "; each one aborted a transaction with an error (SQLSTATE 40P01) the application had to handle."

        var evidence: [Evidence] = [Evidence("deadlocks", "deadlocks", .count(deadlocks))]
        if let age {
            evidence.append(Evidence("statisticsAge", "statistics age", .text(Format.age(seconds: age.seconds))))
            evidence.append(Evidence("statisticsSince", "counting since", .text(age.basis)))
        }
        if let perDay { evidence.append(Evidence("deadlocksPerDay", "per day", .number(perDay))) }
        if transactions > 0 {
            evidence.append(Evidence("shareOfTransactions", "share of transactions",
                                     .ratio(Double(deadlocks) / Double(transactions))))
        }
        if let logLockWaits { evidence.append(Evidence("logLockWaits", "log_lock_waits", .flag(logLockWaits))) }
        if let deadlockTimeout { evidence.append(Evidence("deadlockTimeoutMs", "deadlock_timeout", .milliseconds(deadlockTimeout))) }

        var remediations: [Remediation] = [
            .manual("read the \"deadlock detected\" entries in the server log (they name the processes, locks and "
                + "statements); make transactions lock rows and tables in one consistent order (e.g. SELECT … ORDER BY id "
                + "FOR UPDATE), keep them short, and retry on SQLSTATE 40P01"),
        ]
        if logLockWaits == false {
            remediations.append(.alterSystem(name: "log_lock_waits", value: "on", restart: false))
        }

        let rateForScore = perDay ?? Double(deadlocks)
        return [Finding(
            rule: description.id, severity: severity, target: .database(database.name), message: message,
            evidence: evidence, remediations: remediations,
            impact: Impact(score: min(1, rateForScore / max(criticalPerDay, 1)),
                           summary: perDay.map { "\(Format.decimal($0)) deadlocks per day" } ?? "\(Format.count(deadlocks)) deadlocks"),
            notes: age == nil ? ["The age of the statistics is unknown, so the rate cannot be judged."] : [])]
    }
}
