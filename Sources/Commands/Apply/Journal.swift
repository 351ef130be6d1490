import Foundation
import Model
import Planner

/// The apply journal: one JSON object per line, flushed and fsynced before and after every
/// step, so a killed run leaves a file that says exactly what happened. `apply --resume`,
/// `rollback` and `verify` read it back.
final class Journal {
    let path: String
    private let handle: FileHandle

    /// Opens `path` for appending, creating it and its directory.
    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
            }
            handle = try FileHandle(forUpdating: url)
            try Self.dropTornTail(handle)
        } catch {
            throw CLIError("cannot write the journal \(path): check that its directory is writable, or pass --journal FILE")
        }
    }

    deinit { try? handle.close() }

    /// A run killed while writing leaves at most a torn last line: cut it, so the next entry
    /// starts on a line of its own and the journal stays readable. Leaves the handle at the end.
    private static func dropTornTail(_ handle: FileHandle) throws {
        let size = try handle.seekToEnd()
        guard size > 0 else { return }
        try handle.seek(toOffset: 0)
        let data = try handle.readToEnd() ?? Data()
        if data.last != 0x0A {
            let keep = data.lastIndex(of: 0x0A).map { UInt64($0) + 1 } ?? 0
            try handle.truncate(atOffset: keep)
        }
        try handle.seekToEnd()
    }

    func write(_ entry: JournalEntry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(entry)
        data.append(0x0A)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw CLIError("cannot write the journal \(path) (disk full?): stopping before the next step")
        }
    }

    /// Every entry of a journal file.
    static func read(_ path: String) throws -> [JournalEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("no such journal: \(path): pass the file 'pgadvisor apply' printed")
        }
        var entries: [JournalEntry] = []
        let lines = data.split(separator: 0x0A)
        for (number, line) in lines.enumerated() where !line.isEmpty {
            do {
                entries.append(try JSONDecoder().decode(JournalEntry.self, from: Data(line)))
            } catch {
                // A run killed mid-write leaves at most a torn last line.
                if number == lines.count - 1 { break }
                throw CLIError("\(path): line \(number + 1) is not a journal entry: pass a journal written by 'pgadvisor apply'")
            }
        }
        guard entries.first?.event == .apply, entries.first?.plan != nil else {
            throw CLIError("\(path) is not an apply journal (it must start with the plan): pass a journal written by 'pgadvisor apply'")
        }
        return entries
    }

    /// `$XDG_STATE_HOME/pgadvisor/journal/<database>-<time>-<pid>.jsonl` (default `~/.local/state`).
    static func defaultPath(database: String, at time: Date = Date()) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/state")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let safe = database.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        // The process id keeps two runs started in the same second apart.
        return "\(base)/pgadvisor/journal/\(String(safe))-\(formatter.string(from: time))-\(ProcessInfo.processInfo.processIdentifier).jsonl"
    }
}

/// One line of the journal.
struct JournalEntry: Codable {
    enum Event: String, Codable {
        /// The run starts: the plan, the server, the session.
        case apply
        case stepStart = "step-start"
        case stepEnd = "step-end"
        /// Something done outside a step's SQL (an invalid leftover dropped).
        case cleanup
        case rollbackStep = "rollback-step"
        case finish
    }

    var event: Event
    var at: Timestamp
    var id: String?
    var outcome: StepOutcome?
    var sql: [String]?
    var rollback: [String]?
    var message: String?
    var plan: Plan?
    var server: JournalServer?
    var before: BeforeFigures?
    var readback: [String]?

    init(_ event: Event, id: String? = nil) {
        self.event = event
        self.at = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
        self.id = id
    }
}

/// How a step ended.
enum StepOutcome: String, Codable {
    case done
    /// The precondition said it was already applied; nothing ran.
    case alreadyDone = "already-done"
    /// The precondition no longer holds: the object changed since the plan.
    case changed
    case failed
    case rolledBack = "rolled-back"
    /// The role may not run it; left out with --skip-unauthorized.
    case unauthorized
}

struct JournalServer: Codable {
    var systemIdentifier: String?
    var database: String
    var version: String
    var pid: Int32
    var user: String
}

/// What verify compares against: the statements a step should speed up (or must not slow
/// down) and an index's scans, as they were right before the step.
struct BeforeFigures: Codable {
    var statements: [StatementFigure]
    var indexScans: Int64?
    /// `pg_stat_statements_info.stats_reset`, to tell a reset in between.
    var statementsReset: Timestamp?
}

struct StatementFigure: Codable {
    var queryId: Int64
    var calls: Int64
    var totalMs: Double
    var text: String

    var meanMs: Double { calls > 0 ? totalMs / Double(calls) : 0 }
}
