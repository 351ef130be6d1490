import Model

/// When tables were last vacuumed and analyzed, what autovacuum is doing right now, and who
/// holds the xmin horizon back: the facts the maintenance rules share.
enum TableMaintenance {
    /// The later of the manual and the automatic vacuum.
    static func lastVacuum(_ activity: TableActivity) -> Timestamp? {
        [activity.lastVacuum, activity.lastAutovacuum].compactMap { $0 }.max()
    }

    /// The later of the manual and the automatic analyze.
    static func lastAnalyze(_ activity: TableActivity) -> Timestamp? {
        [activity.lastAnalyze, activity.lastAutoanalyze].compactMap { $0 }.max()
    }

    /// How long a table has gone without an operation last run at `last`.
    struct Quiet: Equatable, Sendable {
        /// nil when unknown: nothing recorded and no known start of the statistics.
        var seconds: Double?
        /// `3.5 h ago`, or `none recorded since the statistics reset at …`.
        var text: String

        /// Quiet for at least `limit` (an unknown duration counts as long).
        func atLeast(_ limit: Double) -> Bool { seconds.map { $0 >= limit } ?? true }
    }

    /// Time since `last`; when nothing is recorded, since the statistics began (a reset clears
    /// the timestamps, so "never" only means "not since then").
    static func quiet(since last: Timestamp?, context: RuleContext) -> Quiet {
        let now = context.snapshot.collectedAt
        if let last {
            let seconds = max(0, last.seconds(until: now))
            return Quiet(seconds: seconds, text: "\(Format.age(seconds: seconds)) ago")
        }
        if let age = context.facts.statisticsAge {
            return Quiet(seconds: age.seconds,
                         text: "none recorded in the \(Format.age(seconds: age.seconds)) since \(age.basis)")
        }
        return Quiet(seconds: nil, text: "none recorded")
    }

    /// `no vacuum in 3 d`, `no vacuum recorded in the 30 d of statistics`, or `no vacuum recorded`.
    static func noRunText(_ operation: String, last: Timestamp?, quiet: Quiet) -> String {
        guard let seconds = quiet.seconds else { return "no \(operation) recorded" }
        return last == nil
            ? "no \(operation) recorded in the \(Format.age(seconds: seconds)) of statistics"
            : "no \(operation) in \(Format.age(seconds: seconds))"
    }

    /// An autovacuum worker busy with a table right now.
    struct Worker: Equatable, Sendable {
        var pid: Int32
        var vacuums: Bool
        var analyzes: Bool
    }

    /// Tables autovacuum workers are processing, by `schema.name` as the worker's activity
    /// text shows it (`autovacuum: VACUUM ANALYZE shop.orders (to prevent wraparound)`).
    static func autovacuumWorkers(_ sessions: [SessionInfo]) -> [String: Worker] {
        var workers: [String: Worker] = [:]
        for session in sessions where session.backendType == "autovacuum worker" {
            guard var text = session.query, text.hasPrefix("autovacuum: ") else { continue }
            text.removeFirst("autovacuum: ".count)
            if text.hasSuffix(" (to prevent wraparound)") { text.removeLast(" (to prevent wraparound)".count) }
            var vacuums = false, analyzes = false
            while true {
                if text.hasPrefix("VACUUM ") {
                    vacuums = true
                    text.removeFirst("VACUUM ".count)
                } else if text.hasPrefix("ANALYZE ") {
                    analyzes = true
                    text.removeFirst("ANALYZE ".count)
                } else {
                    break
                }
            }
            guard vacuums || analyzes else { continue }
            workers[text] = Worker(pid: session.pid, vacuums: vacuums, analyzes: analyzes)
        }
        return workers
    }

    /// The worker processing `table`, if any.
    static func worker(for table: TableInfo, in workers: [String: Worker]) -> Worker? {
        workers["\(table.schema).\(table.name)"]
    }

    /// The session holding the xmin horizon back the most (largest `age(backend_xmin)` or
    /// `age(backend_xid)`), in any database. Vacuum processes are left out: VACUUM ignores
    /// other vacuums' snapshots.
    static func oldestXminHolder(_ sessions: [SessionInfo]) -> (session: SessionInfo, age: Int64)? {
        var best: (session: SessionInfo, age: Int64)?
        for session in sessions where session.backendType != "autovacuum worker" {
            let age = max(session.xminAge ?? 0, session.xidAge ?? 0)
            guard age > 0 else { continue }
            if let current = best, current.age > age || (current.age == age && current.session.pid < session.pid) {
                continue
            }
            best = (session, age)
        }
        return best
    }

    /// Evidence about an xmin holder: pid, age, state, transaction start.
    static func holderEvidence(_ holder: (session: SessionInfo, age: Int64)) -> [Evidence] {
        var evidence = [
            Evidence("xminHolderPid", "oldest xmin holder pid", .count(Int64(holder.session.pid))),
            Evidence("xminHolderAgeXids", "its xmin age (transactions)", .count(holder.age)),
        ]
        if let state = holder.session.state {
            evidence.append(Evidence("xminHolderState", "its state", .text(state)))
        }
        if let start = holder.session.transactionStart {
            evidence.append(Evidence("xminHolderTransactionStart", "its transaction start", .timestamp(start)))
        }
        if let database = holder.session.database {
            evidence.append(Evidence("xminHolderDatabase", "its database", .text(database)))
        }
        return evidence
    }

    /// `pid 4242 (idle in transaction, in app)` for messages.
    static func holderText(_ holder: (session: SessionInfo, age: Int64)) -> String {
        var details: [String] = []
        if let state = holder.session.state { details.append(state) }
        if let database = holder.session.database { details.append("in \(SQLQuoting.identifier(database))") }
        return "pid \(holder.session.pid)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }

    /// The heap's bytes: the measured size less TOAST, else pages × block size.
    static func heapBytes(_ table: TableInfo, blockSize: Int) -> Int64 {
        if let size = table.size, size.measured { return max(0, size.bytes - size.toastBytes) }
        return table.pages * Int64(blockSize)
    }
}
