import Foundation
import Testing
import TestSupport

/// The command line as a user meets it: exit codes, one-line errors, no secrets.
@Suite(.serialized)
struct CLIErrorTests {
    static let secret = "Sup3r-s3cret!pw"

    /// A failure is one line on stderr, starts with "pgadvisor: error:", exits non-zero,
    /// never shows a stack trace or the password.
    static func expectOneLineError(_ result: CLIResult, status: Int32 = 1, mentions: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("pgadvisor: error: "), sourceLocation: sourceLocation)
        #expect(result.stderr.lowercased().contains(mentions.lowercased()), "stderr: \(result.stderr)",
                sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"),
                sourceLocation: sourceLocation)
    }

    @Test func malformedURI() throws {
        let r = try CLI.run(["snapshot", "postgresql://bob:\(Self.secret)@127.0.0.1:notaport/db", "-o", "/dev/null"])
        Self.expectOneLineError(r, mentions: "port")
    }

    @Test func unknownConnectionOption() throws {
        let r = try CLI.run(["doctor", "host=127.0.0.1 bogus=1 password=\(Self.secret)"])
        Self.expectOneLineError(r, mentions: "invalid connection option")
    }

    @Test func unknownCommandLineOption() throws {
        let r = try CLI.run(["snapshot", "--bogus", "-o", "x.json"])
        Self.expectOneLineError(r, status: 64, mentions: "unknown option '--bogus'")
        #expect(r.stderr.contains("pgadvisor snapshot --help"))
    }

    @Test func missingRequiredOption() throws {
        let r = try CLI.run(["snapshot", "dbname=x"])
        Self.expectOneLineError(r, status: 64, mentions: "--output")
    }

    @Test func badDuration() throws {
        let r = try CLI.run(["audit", "--lock-timeout", "soon", "dbname=x"])
        Self.expectOneLineError(r, status: 64, mentions: "--lock-timeout takes a duration")
    }

    @Test func conninfoAndFromTogether() throws {
        let r = try CLI.run(["audit", "dbname=x", "--from", "s.json"])
        Self.expectOneLineError(r, status: 64, mentions: "not both")
    }

    @Test func unreachableServer() throws {
        // Port 1 on loopback: nothing listens there.
        let r = try CLI.run(["doctor", "host=127.0.0.1 port=1 user=x password=\(Self.secret) connect_timeout=3"])
        Self.expectOneLineError(r, mentions: "server is running")
    }

    @Test func missingSnapshotFile() throws {
        let r = try CLI.run(["audit", "--from", "/nonexistent/snapshot.json"])
        Self.expectOneLineError(r, mentions: "no such file")
    }

    @Test func corruptSnapshotFile() throws {
        let path = NSTemporaryDirectory() + "pgadvisor-corrupt.json"
        try Data("{\"schemaVersion\": 1, \"server\": 3}".utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["audit", "--from", path])
        Self.expectOneLineError(r, mentions: "not a pgadvisor snapshot")
    }

    @Test func futureSnapshotFile() throws {
        let path = NSTemporaryDirectory() + "pgadvisor-future.json"
        try Data("{\"schemaVersion\": 99}".utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["audit", "--from", path])
        Self.expectOneLineError(r, mentions: "schema version 99")
    }

    @Test(arguments: [[String](), ["snapshot"], ["audit"], ["plan"], ["apply"], ["rollback"], ["verify"], ["indexes"], ["review"], ["tune"], ["doctor"]])
    func helpExplainsEveryCommand(command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE:"))
        #expect(r.stderr.isEmpty)
        if !command.isEmpty {
            #expect(r.stdout.contains("--statement-timeout") && r.stdout.contains("--lock-timeout"))
        }
    }

    /// Help reads in an 80-column terminal: prose paragraphs are wrapped by the parser, so a
    /// hard line break in the source must not leave a stub of one word on its own line.
    @Test(arguments: [[String](), ["snapshot"], ["audit"], ["plan"], ["apply"], ["rollback"], ["verify"], ["diff"], ["indexes"], ["review"], ["tune"], ["doctor"], ["rules"], ["explain"]])
    func helpFitsEightyColumns(command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let long = lines.filter { $0.count > 80 && !$0.hasPrefix("USAGE:") }
        #expect(long.isEmpty, "\(long)")
        // A one-word line inside a paragraph (text before and after it) is a broken wrap.
        let stubs = lines.indices.dropFirst().dropLast().filter { i in
            lines[i].split(separator: " ").count == 1 && !lines[i].hasPrefix(" ") && lines[i - 1].count > 60
                && !lines[i + 1].isEmpty && !lines[i + 1].hasPrefix(" ")
        }
        #expect(stubs.isEmpty, "\(stubs.map { lines[$0] })")
    }
}

@Suite(.enabled(if: TestServer.available, "needs the throwaway server: run scripts/test"), .serialized)
struct CLIServerTests {
    static let secret = CLIErrorTests.secret

    static func ensurePasswordRole() throws {
        let admin = try TestServer.admin()
        defer { admin.close() }
        try admin.query("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgadvisor_pw') THEN
                CREATE ROLE pgadvisor_pw LOGIN;
              END IF;
            END $$
            """)
        try admin.query("ALTER ROLE pgadvisor_pw PASSWORD 'right-password'")
    }

    @Test func wrongPassword() throws {
        try Self.ensurePasswordRole()
        let uri = "postgresql://pgadvisor_pw:\(Self.secret)@127.0.0.1:\(TestServer.port)/postgres"
        let r = try CLI.run(["snapshot", uri, "-o", "/dev/null"])
        CLIErrorTests.expectOneLineError(r, mentions: "password authentication failed")
    }

    @Test func wrongPasswordFromEnvironment() throws {
        try Self.ensurePasswordRole()
        let r = try CLI.run(["doctor"], environment: [
            "PGHOST": "127.0.0.1", "PGPORT": TestServer.port, "PGUSER": "pgadvisor_pw",
            "PGDATABASE": "postgres", "PGPASSWORD": Self.secret,
        ])
        CLIErrorTests.expectOneLineError(r, mentions: "password authentication failed")
    }

    @Test func rightPasswordOverTCP() throws {
        try Self.ensurePasswordRole()
        let r = try CLI.run(["audit", "host=127.0.0.1 port=\(TestServer.port) user=pgadvisor_pw dbname=postgres",
                             "--format", "json"], environment: ["PGPASSWORD": "right-password"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"role\" : \"pgadvisor_pw\""))
        #expect(r.stdout.contains("\"visibility\" : \"limited\""))
        #expect(!r.stdout.contains("right-password") && !r.stderr.contains("right-password"))
    }

    @Test func missingDatabase() throws {
        let r = try CLI.run(["audit", TestServer.uri("no_such_database")])
        CLIErrorTests.expectOneLineError(r, mentions: "no_such_database")
    }

    @Test func connectsByEnvironmentVariables() throws {
        let r = try CLI.run(["audit", "--format", "json"], environment: [
            "PGHOST": TestServer.host, "PGPORT": TestServer.port, "PGUSER": "postgres", "PGDATABASE": "postgres",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"database\" : \"postgres\""))
    }

    @Test func snapshotThenAuditFromFile() throws {
        try TestServer.freshDatabase("pgadvisor_cli", setup: [
            "CREATE EXTENSION pg_stat_statements",
            "CREATE TABLE items (id int PRIMARY KEY, name text)",
            "INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 1000) g",
            "SELECT count(*) FROM items WHERE name = 'n5'",
        ])
        let path = NSTemporaryDirectory() + "pgadvisor-cli-snapshot.json"
        let snap = try CLI.run(["snapshot", TestServer.uri("pgadvisor_cli"), "--output", path])
        #expect(snap.status == 0, "\(snap.stderr)")
        #expect(snap.stderr.contains("written to \(path)"))
        for format in ["text", "markdown", "json"] {
            let audit = try CLI.run(["audit", "--from", path, "--format", format])
            #expect(audit.status == 0, "\(audit.stderr)")
            #expect(audit.stdout.contains(format == "json" ? "\"name\" : \"items\"" : "public.items"))
            #expect(audit.stdout.contains("WHERE name = $1"))
        }
    }

    @Test func doctorReportsMissingExtensionsWithFixes() throws {
        try TestServer.freshDatabase("pgadvisor_doctor")
        let r = try CLI.run(["doctor", TestServer.conninfo("pgadvisor_doctor")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("missing  pg_stat_statements"))
        #expect(r.stdout.contains("CREATE EXTENSION pg_stat_statements"))
        #expect(r.stdout.contains("CREATE EXTENSION hypopg"))
        #expect(r.stdout.contains("ok       privileges"))
    }
}
