import Model

/// Heavy temporary file use in the database: sorts and hashes that do not fit in work_mem.
public enum TempFilesRule: Rule {
    public static let description = RuleDescription(
        id: "temp-files",
        title: "Heavy temporary file use",
        category: .server,
        severity: .warning,
        requirements: [.source("database")],
        summary: "The database wrote at least 1 GB of temporary files per day of statistics (and at least 1 GB in all): queries spill sorts and hashes to disk.",
        rationale: """
            Sorts, hashes and materializations larger than work_mem spill to temporary files, which \
            turns memory work into disk I/O. pg_stat_database counts those files for the whole \
            database since the statistics were reset. No peer tool has a numeric threshold (pg-extras \
            only flags work_mem left at its 4 MB default); pgadvisor reports when the volume reaches \
            `min-temp-bytes-per-day` per day of statistics, and at least that much in all when the \
            statistics are younger than a day, so an old counter does not accumulate into a finding \
            and a fresh one is not extrapolated from minutes. The fix is never a server-wide \
            work_mem: every sort and hash node of every session and parallel worker may use it. \
            The finding points to the statements that spill (temp-spill-query) and to log_temp_files, \
            which names them in the server log.
            """,
        manual: "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-DATABASE-VIEW",
        parameters: [
            RuleParameter("min-temp-bytes-per-day", .bytes(1 << 30), "Temp file volume per day of statistics from which the database is reported."),
        ],
        examples: [
            RuleExample("300 GB of temp files in 30 days", .triggers([.database("app")]), snapshot: Example.snapshot(
                database: Example.database(tempFiles: 12_000, tempBytes: 300 << 30))),
            RuleExample("no temp files", .passes, snapshot: Example.snapshot()),
            RuleExample("20 GB in 30 days: less than 1 GB a day", .passes, snapshot: Example.snapshot(
                database: Example.database(tempFiles: 400, tempBytes: 20 << 30))),
            RuleExample("statistics reset an hour ago, 3 GB since", .triggers([.database("app")]), snapshot: Example.snapshot(
                database: Example.database(tempFiles: 90, tempBytes: 3 << 30), statsReset: Example.ago(seconds: 3600))),
            RuleExample.withoutSource("database", state: .failed, "pg_stat_database not read"),
        ]
    )

    public static func evaluate(_ context: RuleContext) throws(RuleSkip) -> [Finding] {
        let snapshot = context.snapshot
        guard let db = snapshot.database else {
            throw RuleSkip("pg_stat_database has no row for database \(snapshot.server.database)")
        }
        let perDayThreshold = context.parameters.bytes("min-temp-bytes-per-day")
        let age = context.facts.statisticsAge
        let days = max(1, (age?.seconds ?? 0) / 86_400)
        guard db.tempBytes > 0, Double(db.tempBytes) >= Double(perDayThreshold) * days else { return [] }
        let workMem = snapshot.setting("work_mem")?.bytes
        let logTempFiles = snapshot.setting("log_temp_files")
        let blockSize = Int64(snapshot.server.blockSize)

        var evidence: [Evidence] = [
            Evidence("tempBytes", "temp written", .bytes(db.tempBytes)),
            Evidence("tempFiles", "temp files", .count(db.tempFiles)),
            Evidence("averageTempFileBytes", "average temp file", .bytes(db.tempBytes / max(1, db.tempFiles))),
        ]
        var rate = ""
        if let age {
            evidence.append(Evidence("statisticsAge", "statistics age", .text(Format.age(seconds: age.seconds))))
            if age.seconds >= 86_400 {
                let perDay = Int64(Double(db.tempBytes) / (age.seconds / 86_400))
                evidence.append(Evidence("tempBytesPerDay", "temp written per day", .bytes(perDay)))
                rate = ", \(Format.bytes(perDay)) a day"
            }
        }
        if let workMem { evidence.append(Evidence("workMemBytes", "work_mem", .bytes(workMem))) }
        if let logTempFiles { evidence.append(Evidence("logTempFiles", "log_temp_files", .text(logTempFiles.value))) }

        var remediations: [Remediation] = [
            .manual("Find the statements that spill (temp-spill-query findings, temp_blks_written in pg_stat_statements) "
                + "and raise work_mem only for them: ALTER ROLE ... SET work_mem for their role, or SET LOCAL work_mem in their transaction"),
        ]
        if logTempFiles?.number == -1 {
            remediations.append(.manual("Turn on log_temp_files (see the logging-settings finding) "
                + "so that the server log names each statement that creates a large temporary file"))
        }
        let volume = Double(db.tempBytes) + Double(db.blocksHit + db.blocksRead) * Double(blockSize)
        let score = volume > 0 ? Double(db.tempBytes) / volume : 0
        return [Finding(
            rule: description.id, severity: .warning, target: .database(db.name),
            message: "database \(SQLQuoting.identifier(db.name)) wrote \(Format.bytes(db.tempBytes)) to "
                + "\(Format.count(db.tempFiles)) temporary files since \(age?.basis ?? "the statistics began")\(rate)"
                + ": sorts and hashes that do not fit in work_mem" + (workMem.map { " (\(Format.bytes($0)))" } ?? "")
                + " spill to disk.",
            evidence: evidence, remediations: remediations,
            impact: Impact(score: score, summary: "\(Format.bytes(db.tempBytes)) of temp files"),
            notes: ["Do not raise work_mem server-wide: every sort and hash node of every session and parallel worker "
                + "may use it, hash nodes hash_mem_multiplier times more."])]
    }
}
