import Foundation

/// The run folders `audit --save DIR` writes: `DIR/<UTC timestamp>/snapshot.json` (and
/// `audit.json`), or `DIR/<target>/<timestamp>/` for a fleet. Run folders sort by name in the
/// order they were taken.
enum SavedRuns {
    static let snapshotFile = "snapshot.json"

    /// The snapshot file a command-line argument names: the file itself, or a run folder's
    /// snapshot.json.
    static func snapshotPath(_ argument: String) throws -> String {
        guard argument != "-" else { return argument }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw CLIError("no such file or folder: \(argument): pass a snapshot file or a run folder written by 'pgadvisor audit --save'")
        }
        guard isDirectory.boolValue else { return argument }
        let inside = URL(fileURLWithPath: argument).appendingPathComponent(snapshotFile).path
        guard FileManager.default.fileExists(atPath: inside) else {
            throw CLIError("\(argument) is a folder without \(snapshotFile): pass a run folder written by 'pgadvisor audit --save', or use --latest \(argument)")
        }
        return inside
    }

    /// The last two run folders of `directory` (older first).
    static func latestPair(in directory: String) throws -> (String, String) {
        let runs = try runFolders(in: directory)
        guard runs.count >= 2 else {
            let found = runs.isEmpty ? "no saved run" : "only one saved run (\(URL(fileURLWithPath: runs[0]).lastPathComponent))"
            throw CLIError("\(directory) holds \(found): diff needs two; run 'pgadvisor audit --save \(directory)' again later")
        }
        return (runs[runs.count - 2], runs[runs.count - 1])
    }

    /// The run folders of `directory`, by name. A fleet's folder (one folder per target) is
    /// named in the error, with its targets.
    static func runFolders(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw CLIError("no such folder: \(directory): pass the folder given to 'pgadvisor audit --save'")
        }
        guard isDirectory.boolValue else {
            throw CLIError("\(directory) is a file: --latest takes the folder given to 'pgadvisor audit --save'")
        }
        let root = URL(fileURLWithPath: directory)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        let runs = names.filter { holdsSnapshot(root.appendingPathComponent($0)) }
        if runs.isEmpty {
            let targets = names.filter { name in
                let sub = root.appendingPathComponent(name).path
                return ((try? FileManager.default.contentsOfDirectory(atPath: sub)) ?? []).contains {
                    holdsSnapshot(URL(fileURLWithPath: sub).appendingPathComponent($0))
                }
            }
            if !targets.isEmpty {
                throw CLIError("\(directory) holds the runs of several targets (\(targets.joined(separator: ", "))): pass one of them, e.g. --latest \(root.appendingPathComponent(targets[0]).path)",
                               exitCode: ExitStatus.usage)
            }
        }
        return runs.map { root.appendingPathComponent($0).path }
    }

    private static func holdsSnapshot(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(snapshotFile).path)
    }
}
