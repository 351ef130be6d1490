import Testing

@testable import Commands

/// --format and --output FILE: the extension picks the format unless --format does.
@Suite struct ReportOutputGroupTests {
    static func resolve(_ arguments: [String]) throws -> OutputFormat {
        try ReportOutputGroup.parse(arguments).resolve(command: "audit", supported: [.text, .markdown, .json, .html])
    }

    @Test func theExtensionPicksTheFormat() throws {
        #expect(try Self.resolve(["--output", "report.html"]) == .html)
        #expect(try Self.resolve(["--output", "audit.md"]) == .markdown)
        #expect(try Self.resolve([]) == .text)
    }

    /// With --format, a file without a known extension is fine (a device, a pipe, report.out).
    @Test func formatCoversAFileWithoutExtension() throws {
        #expect(try Self.resolve(["--format", "html", "--output", "/dev/stdout"]) == .html)
        #expect(try Self.resolve(["--format", "json", "--output", "report.out"]) == .json)
        #expect(throws: CLIError.self) { try Self.resolve(["--output", "report.out"]) }
        #expect(throws: CLIError.self) { try Self.resolve(["--format", "html", "--output", "report.json"]) }
        #expect(throws: CLIError.self) { try Self.resolve(["--format", "junit"]) }
    }
}
