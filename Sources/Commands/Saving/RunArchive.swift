import Foundation

/// A folder of saved audit runs (`audit --save DIR`), one subfolder a run named by its UTC
/// time, `20261204T225000Z` (a second run in the same second: `20261204T225000Z-2`), holding
/// `snapshot.json` and `audit.json`. A run folder is built under a hidden name and renamed
/// into place, so a reader never sees half a run; `--keep N` removes the oldest runs beyond N
/// and nothing else.
struct RunArchive {
    var directory: String

    static let snapshotFile = "snapshot.json"
    static let reportFile = "audit.json"

    /// `20261204T225000Z`: the run's start in UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Writes the files as one new run folder; returns its path.
    func save(_ files: [(name: String, data: Data)], at date: Date) throws -> String {
        let fm = FileManager.default
        let name = Self.timestamp(date)
        let temporary = directory + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CLIError("cannot save the run in \(directory): it is a file, not a folder: give --save a folder")
        }
        do {
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create a run folder in \(directory): check that its parent exists and is writable")
        }
        do {
            for file in files { try file.data.write(to: URL(fileURLWithPath: temporary + "/" + file.name)) }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw CLIError("cannot write the run in \(directory): check that it is writable and the disk has room")
        }
        for attempt in 1...1000 {
            let final = directory + "/" + name + (attempt == 1 ? "" : "-\(attempt)")
            // A run folder is never empty, so rename(2) never replaces one: taken means try the next name.
            if rename(temporary, final) == 0 { return final }
            guard errno == EEXIST || errno == ENOTEMPTY else { break }
        }
        let reason = String(cString: strerror(errno))
        try? fm.removeItem(atPath: temporary)
        throw CLIError("cannot save the run in \(directory) (\(reason)): check its permissions")
    }

    /// Removes the oldest run folders beyond the newest `keep`; returns the names removed.
    @discardableResult
    func prune(keep: Int) throws -> [String] {
        let runs = try runNames()
        let old = runs.dropLast(min(keep, runs.count))
        for name in old {
            do {
                try FileManager.default.removeItem(atPath: directory + "/" + name)
            } catch {
                throw CLIError("cannot remove the old run \(directory)/\(name): \((error as NSError).localizedDescription): check its permissions")
            }
        }
        return Array(old)
    }

    /// The run folders, oldest first (other files and folders are not runs).
    func runNames() throws -> [String] {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.compactMap { name -> (String, String, Int)? in
            guard let (time, sequence) = Self.parseRunName(name) else { return nil }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            return (name, time, sequence)
        }
        .sorted { ($0.1, $0.2) < ($1.1, $1.2) }
        .map(\.0)
    }

    /// `20261204T225000Z` → (that, 1); `20261204T225000Z-2` → (…, 2); nil for other names.
    static func parseRunName(_ name: String) -> (String, Int)? {
        let parts = name.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let time = Array(parts[0].utf8)
        guard time.count == 16, time[8] == UInt8(ascii: "T"), time[15] == UInt8(ascii: "Z"),
              (time[0..<8] + time[9..<15]).allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        guard parts.count == 2 else { return (String(parts[0]), 1) }
        guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(parts[1]), n >= 2 else { return nil }
        return (String(parts[0]), n)
    }
}
