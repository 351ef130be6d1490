import Connector
import Foundation

/// Polls `pg_stat_progress_create_index` for one backend from its own read-only session, and
/// keeps one status line on the terminal: the phase and blocks done / total.
final class ProgressMonitor: @unchecked Sendable {
    private let options: ConnectionOptions?
    private let pid: Int32
    private let lock = NSLock()
    private var running = true
    private var thread: Thread?

    init(options: ConnectionOptions?, pid: Int32) {
        self.options = options
        self.pid = pid
    }

    func start() {
        guard let options else { return }
        let thread = Thread { [self] in poll(options) }
        self.thread = thread
        thread.start()
    }

    func stop() {
        lock.withLock { running = false }
        while thread?.isFinished == false { Thread.sleep(forTimeInterval: 0.02) }
        SafeOutput.err("\r\u{1B}[K")
    }

    private var isRunning: Bool { lock.withLock { running } }

    /// The phase, with the transactions waited for in a waiting phase, else the blocks done.
    static func describe(_ row: Row) -> String {
        let phase = (try? row["phase"].string()) ?? "?"
        if phase.hasPrefix("waiting") {
            let done = (try? row["lockers_done"].int64()) ?? 0
            let total = (try? row["lockers_total"].int64()) ?? 0
            let pid = (try? row["current_locker_pid"].int64()).map { $0 > 0 ? ", now pid \($0)" : "" } ?? ""
            return phase + (total > 0 ? ": \(done) of \(total) transactions\(pid)" : "")
        }
        let done = (try? row["blocks_done"].int64()) ?? 0
        let total = (try? row["blocks_total"].int64()) ?? 0
        return phase + (total > 0 ? ", blocks \(done) / \(total) (\(done * 100 / total) %)" : "")
    }

    private func poll(_ options: ConnectionOptions) {
        var readOnly = options
        readOnly.readOnly = true
        readOnly.applicationName = "pgadvisor-apply-progress"
        guard let db = try? Connection.open(readOnly) else { return }
        defer { db.close() }
        while isRunning {
            if let row = try? db.query("""
                -- pgadvisor: progress
                SELECT phase, blocks_done, blocks_total, lockers_total, lockers_done, current_locker_pid
                FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1
                """, [String(pid)]).rows.first {
                SafeOutput.err("\r\u{1B}[K    " + Self.describe(row))
            }
            for _ in 0..<5 where isRunning { Thread.sleep(forTimeInterval: 0.1) }
        }
    }
}
