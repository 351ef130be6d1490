import Foundation

/// Finding the snapshots `diff` compares among the runs `audit --save DIR` keeps
/// (`RunArchive`): `DIR/<UTC time>/snapshot.json`, or `DIR/<target>/<UTC time>/` for a fleet.
enum SavedRuns {
    /// The snapshot file a command-line argument names: the file itself, or a run folder's
    /// snapshot.json.
    static func snapshotPath(_ argument: String) throws -> String {
        guard argument != "-" else { return argument }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw CLIError("no such file or folder: \(argument): pass a snapshot file or a run folder written by 'pgadvisor audit --save'")
        }
        guard isDirectory.boolValue else { return argument }
        let inside = URL(fileURLWithPath: argument).appendingPathComponent(RunArchive.snapshotFile).path
        guard FileManager.default.fileExists(atPath: inside) else {
            throw CLIError("\(argument) is a folder without \(RunArchive.snapshotFile): pass a run folder written by 'pgadvisor audit --save', or use --latest \(argument)")
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

    /// The run folders of `directory`, oldest first. A fleet's folder (one folder of runs per
    /// target) is an error naming its targets.
    static func runFolders(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw CLIError("no such folder: \(directory): pass the folder given to 'pgadvisor audit --save'")
        }
        guard isDirectory.boolValue else {
            throw CLIError("\(directory) is a file: --latest takes the folder given to 'pgadvisor audit --save'")
        }
        let root = URL(fileURLWithPath: directory)
        let runs = try RunArchive(directory: directory).runNames()
        if runs.isEmpty {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            let targets = names.filter { !((try? RunArchive(directory: root.appendingPathComponent($0).path).runNames()) ?? []).isEmpty }
            if !targets.isEmpty {
                throw CLIError("\(directory) holds one folder of runs per target (\(targets.joined(separator: ", "))): pass one of them, e.g. --latest \(root.appendingPathComponent(targets[0]).path)",
                               exitCode: ExitStatus.usage)
            }
        }
        return runs.map { root.appendingPathComponent($0).path }
    }
}
