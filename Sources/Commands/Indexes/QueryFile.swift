import Core
import Foundation

/// Statements of a `.sql` file for a pre-release review: one workload statement each, named
/// `file:line`, without timings (each counts by its cost).
enum QueryFile {
    static func read(_ path: String) throws -> [WorkloadStatement] {
        let text: String
        if path == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("no such file: \(path): pass a .sql file of the statements to review")
            }
            guard !isDirectory.boolValue else {
                throw CLIError("\(path) is a directory: pass a .sql file of the statements to review")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read \(path): check its permissions")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).lastPathComponent
        let statements: [WorkloadStatement]
        do {
            statements = try WorkloadStatement.fromSQLText(text, name: name)
        } catch {
            throw CLIError("\(path): \(error): fix the SQL text")
        }
        guard !statements.isEmpty else {
            throw CLIError("\(path) holds no SQL statement: write one statement per ';'")
        }
        return statements
    }
}
