import Foundation
import TestSupport

/// One line of reports/samples.tsv: a sample file under reports/, the JSON schema it follows,
/// and the pgadvisor arguments that print it (run from the repository's root).
struct ReportSample: CustomStringConvertible, Sendable {
    /// Relative to reports/.
    var file: String
    /// A file name under reports/schema/, or nil.
    var schema: String?
    /// nil for a recorded file (`scripts/reports --record`), checked against its schema only.
    var arguments: [String]?

    var description: String { file }

    static let root = PostgresTools.root
    static let manifest = root.appendingPathComponent("reports/samples.tsv")

    /// Every line of the manifest (comments and blank lines left out).
    static let all: [ReportSample] = {
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { return ReportSample(file: "malformed line: \(line)", schema: nil, arguments: []) }
            return ReportSample(
                file: fields[0], schema: fields[1] == "-" ? nil : fields[1],
                arguments: fields[2] == "-" ? nil : fields[2].split(separator: " ").map(String.init))
        }
    }()

    var path: URL { Self.root.appendingPathComponent("reports").appendingPathComponent(file) }

    /// What the command prints (or writes, for arguments naming "{file}") now; a recorded
    /// sample (no arguments) is not rendered: its text is nil.
    func render() throws -> CLIResult? {
        guard let arguments else { return nil }
        guard arguments.contains("{file}") else {
            return try ProcessRunner.run(CLI.executable, arguments, environment: Self.environment, directory: Self.root)
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("pgadvisor-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        var r = try ProcessRunner.run(CLI.executable, arguments.map { $0 == "{file}" ? temporary.path : $0 },
                                      environment: Self.environment, directory: Self.root)
        r.stdout = (try? String(contentsOf: temporary, encoding: .utf8)) ?? ""
        return r
    }

    /// The test's environment without colour.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        return env
    }
}
