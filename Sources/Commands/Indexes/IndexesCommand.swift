import ArgumentParser
import Connector
import Core
import Foundation
import Model

/// `pgadvisor indexes`: the index advisor on its own, for the workload in pg_stat_statements
/// or for the statements of a `.sql` file (a pre-release review).
struct IndexesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indexes",
        abstract: "Recommend indexes for the workload: which to add, which statements get faster, by how much, at what write cost.",
        discussion: """
            Parses each statement with PostgreSQL's parser (libpg_query), proposes btree \
            candidates per table (equality columns, then a range, LIKE prefix or the ORDER BY \
            keys; join keys; expressions such as lower(email); partial indexes for rare \
            values), and costs them with the server's planner through hypopg's hypothetical \
            indexes: nothing is created, and the session stays read-only. Statements with $n \
            parameters are costed with generic plans. A greedy search keeps the candidates that \
            save the most execution time net of their write overhead, within --max-indexes and \
            --max-size.

            Without hypopg in the database (or with --from), costs are estimated from pg_stats \
            and the report says the advice is unverified. The statements come from \
            pg_stat_statements, or with --queries from a .sql file (each statement weighs its \
            cost, as there are no timings). The script at the end creates the indexes with \
            CREATE INDEX CONCURRENTLY; run it with psql, one statement at a time.

            Settings come from the missing-index rule ('pgadvisor explain missing-index'): the \
            options below, --config FILE ([rules.missing-index]) or --set missing-index.KEY=VALUE.

            Examples:
              pgadvisor indexes 'host=db1 dbname=app user=audit'
              pgadvisor indexes --queries release.sql 'dbname=app_staging'
              pgadvisor indexes --explain-rejections --format json > indexes.json
              pgadvisor indexes --from app.json
            """
    )

    @OptionGroup var connection: ConnectionOptionGroup

    @Option(name: .long, help: ArgumentHelp(
        "Advise for the statements of this .sql file instead of pg_stat_statements ('-' reads standard input).",
        valueName: "file"))
    var queries: String?

    @Option(name: .long, help: ArgumentHelp(
        "Use this snapshot file (from 'pgadvisor snapshot') instead of connecting: advice estimated from pg_stats, unverified.",
        valueName: "file"))
    var from: String?

    @OptionGroup(title: "Output") var output: ReportOutputGroup

    @Flag(name: .customLong("explain-rejections"), help: "List every candidate not recommended and every statement not costed, with the reason.")
    var explainRejections = false

    @Option(name: .customLong("max-indexes"), help: ArgumentHelp("Recommend at most this many indexes (default 10).", valueName: "n"))
    var maxIndexes: Int?

    @Option(name: .customLong("max-size"), help: ArgumentHelp(
        "Keep the recommended indexes under this total size, e.g. 500MB (default: 25 % of the database, at least 256MB).",
        valueName: "size"))
    var maxSize: String?

    @Option(name: .customLong("min-improvement"), help: ArgumentHelp(
        "A candidate must cut a statement's cost by at least this much, e.g. 20% (default 10%).", valueName: "share"))
    var minImprovement: String?

    @OptionGroup var rules: AuditSettingsGroup

    func validate() throws {
        if from != nil && connection.conninfo != nil {
            throw ValidationError("give either a connection string or --from FILE, not both")
        }
        if from == "-" && queries == "-" {
            throw ValidationError("--from and --queries cannot both read standard input")
        }
        if let maxIndexes, maxIndexes < 1 { throw ValidationError("--max-indexes must be at least 1") }
    }

    /// The advisor's options: the missing-index rule's parameters with the flags on top.
    func advisorOptions() throws -> IndexAdvisorOptions {
        var configuration = try rules.configuration()
        // The flags are the rule's parameters of the same names, applied over --config and --set.
        let flags = [("max-indexes", maxIndexes.map(String.init)), ("max-size", maxSize), ("min-improvement", minImprovement)]
        for case let (key, value?) in flags {
            do {
                try configuration.apply(ruleId: MissingIndexRule.description.id, entries: [key: value])
            } catch {
                throw CLIError("--\(key) \(value): \(error.description)", exitCode: ExitStatus.usage)
            }
        }
        let options = MissingIndexRule.options(Auditor(configuration: configuration).parameters(of: MissingIndexRule.self))
        guard options.minImprovement > 0, options.minImprovement < 1 else {
            throw CLIError("the minimum improvement must be between 0% and 100% (e.g. 10%), not \(Format.percent(options.minImprovement))",
                           exitCode: ExitStatus.usage)
        }
        return options
    }

    func run() throws {
        let format = try output.resolve(command: "indexes", supported: [.text, .markdown, .json])
        let options = try advisorOptions()
        let fileWorkload = try queries.map(QueryFile.read)
        let snapshot: Snapshot
        let advice: IndexAdvice
        if let from {
            snapshot = try SnapshotFile.read(from)
            let workload = try fileWorkload ?? Self.statements(of: snapshot)
            advice = IndexAdvisor(options: options).advise(snapshot: snapshot, workload: workload)
        } else {
            let db = try connection.connect()
            defer { db.close() }
            snapshot = try Collector(connection: db).collect(generator: "pgadvisor \(PGAdvisor.version)")
            let workload = try fileWorkload ?? Self.statements(of: snapshot)
            advice = try LiveIndexAdvice.advise(connection: db, snapshot: snapshot, workload: workload, options: options)
        }
        let report = IndexesReport(
            snapshot: snapshot, advice: advice, source: queries.map { "statements of \($0 == "-" ? "standard input" : $0)" }
                ?? "pg_stat_statements", explainRejections: explainRejections)
        try output.emit(try IndexesRenderer.render(report, as: format))
    }

    /// The pg_stat_statements workload, or an error that says how to get one.
    static func statements(of snapshot: Snapshot) throws -> [WorkloadStatement] {
        if let source = snapshot.source("pg_stat_statements"), !source.isUsable {
            throw CLIError("pg_stat_statements is not available (\(source.reason ?? source.state.rawValue)): "
                + "\(source.fix ?? "install it") — or pass the statements with --queries FILE")
        }
        let workload = WorkloadStatement.fromSnapshot(snapshot)
        guard !workload.isEmpty else {
            throw CLIError("pg_stat_statements holds no statement of this database yet: run the workload first, "
                + "or pass the statements with --queries FILE")
        }
        return workload
    }
}
