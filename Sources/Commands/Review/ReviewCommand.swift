import ArgumentParser
import Connector
import Core
import Foundation

/// `pgadvisor review`: the pre-release review of a release's SQL files, for CI.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review a release's .sql files against a staging database: a verdict per statement (pass, warning, fail) with reasons.",
        discussion: """
            Each statement of the files (a directory: every *.sql file under it, in name order) \
            is parsed with PostgreSQL's parser; a syntax error is reported at its file, line and \
            column, and the other statements are still reviewed. Queries are planned with \
            EXPLAIN (no ANALYZE unless asked; $n parameters get generic plans); DDL is never run \
            or explained, only parsed and judged by the size of its table in the target database. \
            Point it at a staging database with the production schema and statistics. The \
            session is read-only; --analyze runs only plain SELECTs, in a read-only transaction \
            that is rolled back, under --statement-timeout.

            Without a connection, --offline runs the syntax and migration checks only; tables \
            are then of unknown size and size checks warn instead of failing.

            Checks (README, 'Pre-release review'):
            \(ReviewCommand.checkList)

            Exit status: 0 when done (whatever the verdicts), 2 with --fail-on when a verdict at \
            or above it exists, 1 on errors (cannot connect, unreadable file), 64 on a wrong \
            command line.

            Examples:
              pgadvisor review --queries db/release 'dbname=app_staging'
              pgadvisor review --queries migrate.sql --fail-on fail --format github
              pgadvisor review --queries db/ --format junit --output review.xml
              pgadvisor review --queries db/ --offline
            """
    )

    /// One line per check: `  id (verdict)`.
    static var checkList: String {
        ReviewCheck.all.map { "  \($0.id) (\($0.verdict.rawValue))" }.joined(separator: "\n")
    }

    @OptionGroup var connection: ConnectionOptionGroup

    @Option(name: .long, help: ArgumentHelp(
        "A .sql file, or a directory of them (recursively); repeat for more; '-' reads standard input.", valueName: "path"))
    var queries: [String] = []

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit with status 2 when a statement's verdict is this or worse: warning or fail.", valueName: "verdict"))
    var failOn: ReviewVerdict?

    @Flag(name: .long, help: "Run plain SELECTs with EXPLAIN ANALYZE (read-only transaction, rolled back) for actual rows and spills.")
    var analyze = false

    @Flag(name: .long, help: "Review without a database: syntax and migration checks only.")
    var offline = false

    @Option(name: .customLong("max-cost"), help: ArgumentHelp("Fail a statement whose estimated cost is above this.", valueName: "cost"))
    var maxCost: Double?

    @Option(name: .customLong("max-rows"), help: ArgumentHelp("Fail a statement estimated to return or change more rows.", valueName: "rows"))
    var maxRows: Double?

    @Option(name: .customLong("large-table-rows"), help: ArgumentHelp(
        "A table is large from this many estimated rows (default 100000)...", valueName: "rows"))
    var largeTableRows: Double = 100_000

    @Option(name: .customLong("large-table-size"), help: ArgumentHelp("...or this size (default 100MB).", valueName: "size"))
    var largeTableSize: String = "100MB"

    @Option(name: .customLong("nested-loop-rows"), help: ArgumentHelp(
        "Flag a nested loop over this many outer rows without an index on its inner side (default 10000).", valueName: "rows"))
    var nestedLoopRows: Double = 10_000

    func validate() throws {
        guard !queries.isEmpty else { throw ValidationError("give the statements to review with --queries FILE or --queries DIR") }
        if failOn == .pass { throw ValidationError("--fail-on takes warning or fail") }
        if offline && connection.conninfo != nil { throw ValidationError("give either a connection string or --offline, not both") }
        if offline && analyze { throw ValidationError("--analyze runs statements on a server: it cannot be used with --offline") }
        if queries.filter({ $0 == "-" }).count > 1 { throw ValidationError("--queries - can be given once") }
        for (name, value) in [("--max-cost", maxCost), ("--max-rows", maxRows), ("--large-table-rows", largeTableRows),
                              ("--nested-loop-rows", nestedLoopRows)] {
            if let value, !(value >= 0) || !value.isFinite { throw ValidationError("\(name) takes a number of at least 0") }
        }
        guard MemoryUnits.bytes(largeTableSize) != nil else {
            throw ValidationError("--large-table-size takes a size such as 500MB or 2GB, not '\(largeTableSize)'")
        }
    }

    func run() throws {
        let format = try output.resolve(command: "review", supported: ReviewRenderer.formats)
        let thresholds = ReviewThresholds(
            largeTableRows: largeTableRows, largeTableBytes: MemoryUnits.bytes(largeTableSize) ?? 0, maxCost: maxCost,
            maxRows: maxRows, nestedLoopRows: nestedLoopRows)
        let run = ReviewRun(files: try ReviewFile.read(queries), thresholds: thresholds, analyze: analyze)
        let report: ReviewReport
        if offline {
            report = try run.offline()
        } else {
            let db: Connection
            do {
                db = try connection.connect()
            } catch let error as ConnectorError where error.kind == .connection {
                throw CLIError("\(error.description) (or review without a database: --offline)")
            }
            defer { db.close() }
            report = try run.online(db)
        }
        try output.emit(try ReviewRenderer.render(report, as: format, gate: failOn ?? .fail))
        if let failOn, let highest = report.highestVerdict, highest >= failOn {
            throw FindingsExit(severity: highest == .fail ? .critical : .warning)
        }
    }
}

extension ReviewVerdict: ExpressibleByArgument {}
