import ArgumentParser
import Foundation

/// `--format` and `--output FILE`, shared by the commands that print a report. Without
/// `--format`, the output file's extension picks the format (`.txt`, `.md`, `.json`, `.html`,
/// `.xml` for JUnit); a file is replaced only once the report is complete.
struct ReportOutputGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output format (text, markdown, json, html, junit or github, as the command supports; default text, or what --output's extension says).",
        valueName: "format"))
    var format: OutputFormat?

    @Option(name: .long, help: ArgumentHelp(
        "Write the report to this file (replaced only once complete) instead of standard output.",
        valueName: "file"))
    var output: String?

    /// The format to render: `--format`, else the extension of `--output`, else `fallback`
    /// (the configuration file's default, or text). Usage errors name what the command takes.
    func resolve(command: String, supported: [OutputFormat], fallback: OutputFormat = .text) throws -> OutputFormat {
        // With --format, a file without a known extension (/dev/stdout, report.out) is fine.
        let fromFile = try output.flatMap { format == nil ? try Self.formatOf($0) : OutputFormat.forFile($0) }
        if let format, let fromFile, format != fromFile {
            throw CLIError("--format \(format.rawValue) and --output \(output ?? "") (a .\(fromFile.fileExtension) file) disagree: drop one of them",
                           exitCode: ExitStatus.usage)
        }
        let chosen = format ?? fromFile ?? (supported.contains(fallback) ? fallback : .text)
        guard supported.contains(chosen) else {
            throw CLIError("\(command) writes \(Self.list(supported)), not \(chosen.rawValue): pick one of those",
                           exitCode: ExitStatus.usage)
        }
        return chosen
    }

    /// Prints the report, or writes it to `--output` (atomically).
    func emit(_ text: String) throws {
        if let output {
            try OutputFile.write(text, to: output)
        } else {
            SafeOutput.out(text)
        }
    }

    private static func formatOf(_ path: String) throws -> OutputFormat {
        guard let format = OutputFormat.forFile(path) else {
            throw CLIError("cannot tell the format of \(path) from its extension: name it .txt, .md, .json, .html or .xml, or add --format",
                           exitCode: ExitStatus.usage)
        }
        return format
    }

    static func list(_ formats: [OutputFormat]) -> String {
        let names = formats.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}
