import Foundation

/// The `.sql` files a review reads: each `--queries` path is a file, a directory (every `*.sql`
/// file under it, recursively, in name order) or `-` for standard input.
struct ReviewFile {
    /// The path as reports show it: as given, or the directory as given joined with the path
    /// under it, so CI annotations point at the repository's file.
    var name: String
    var text: String

    static func read(_ paths: [String]) throws -> [ReviewFile] {
        var files: [ReviewFile] = []
        for path in paths {
            if path == "-" {
                files.append(ReviewFile(name: "stdin", text: String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("no such file or directory: \(path): pass .sql files or a directory of them to --queries")
            }
            let names = isDirectory.boolValue ? try sqlFiles(under: path) : [path]
            for name in names { files.append(ReviewFile(name: name, text: try contents(of: name))) }
        }
        return files
    }

    /// Every `*.sql` file under `directory`, sorted by path.
    private static func sqlFiles(under directory: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw CLIError("cannot read directory \(directory): check its permissions")
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let found = walker.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix(".sql") }
            .map { base + "/" + $0 }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
        guard !found.isEmpty else {
            throw CLIError("\(directory) holds no .sql file: pass the directory of the release's SQL files")
        }
        return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func contents(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read \(path): check its permissions")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
