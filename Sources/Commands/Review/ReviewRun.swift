import Connector
import Core
import Model
import QueryParser

/// Runs a review: offline (syntax and migration checks), or against the target database
/// (table sizes, plans, verified index advice) on one read-only session.
struct ReviewRun {
    var files: [ReviewFile]
    var thresholds: ReviewThresholds
    var analyze: Bool

    func offline() throws -> ReviewReport {
        let reviewer = Reviewer(thresholds: thresholds, catalog: MigrationReview.Catalog(snapshot: nil))
        let statements = try files.flatMap { try reviewer.review(SourceStatement.read($0.text, file: $0.name), explain: nil) }
        return ReviewReport(target: "offline", offline: true, files: files.map(\.name), statements: statements,
                            thresholds: thresholds,
                            notes: ["Offline: syntax and migration checks only; table sizes are unknown, so size checks warn instead of failing."])
    }

    func online(_ db: Connection) throws -> ReviewReport {
        let snapshot = try Collector(connection: db).collect(generator: "pgadvisor \(PGAdvisor.version)")
        var thresholds = self.thresholds
        thresholds.workMemBytes = snapshot.setting("work_mem")?.bytes
        thresholds.hashMemMultiplier = snapshot.setting("hash_mem_multiplier").flatMap { Double($0.value) } ?? 1
        let sources = files.map { SourceStatement.read($0.text, file: $0.name) }
        let catalog = MigrationReview.Catalog(
            snapshot: snapshot, notNullChecks: Self.setsNotNull(sources.flatMap { $0 }) ? try ReviewCatalog.notNullChecks(db) : [:],
            volatility: try ReviewCatalog.volatility(of: Self.defaultCalls(sources.flatMap { $0 }), db))
        let reviewer = Reviewer(thresholds: thresholds, catalog: catalog,
                                releaseChangesSchema: Reviewer.changesSchema(sources.flatMap { $0 }))
        let explainer = PlanExplainer(connection: db, serverVersionNum: snapshot.server.versionNumber)
        let reader = ExplainableStatement.Reader(snapshot: snapshot)
        var statements = try sources.flatMap { file in
            try reviewer.review(file) { statement, readOnly in
                try plan(statement, readOnly: readOnly, explainer: explainer, reader: reader)
            }
        }
        var notes: [String] = []
        if let note = try Self.addIndexAdvice(to: &statements, db: db, snapshot: snapshot) { notes.append(note) }
        let version = snapshot.server.version.split(separator: " ").first.map(String.init) ?? snapshot.server.version
        return ReviewReport(target: "database \(snapshot.server.database) (PostgreSQL \(version))", offline: false,
                            files: files.map(\.name), statements: statements, thresholds: thresholds, notes: notes)
    }

    /// EXPLAIN (with `--analyze`, EXPLAIN ANALYZE of a read-only statement without parameters).
    private func plan(_ statement: SourceStatement, readOnly: Bool, explainer: PlanExplainer, reader: ExplainableStatement.Reader) throws -> Reviewer.PlanOutcome {
        let query = reader.read(statement.text)
        var notes: [String] = []
        var run = analyze
        if analyze && !readOnly {
            run = false
            notes.append("not run with --analyze: it writes or locks rows (only plain SELECTs run); planned only")
        } else if analyze && !query.parameterTypes.isEmpty {
            run = false
            notes.append("not run with --analyze: it has $n parameters, so there are no values to run it with; planned only")
        }
        do {
            let node: PlanNode
            do {
                node = try explainer.plan(query.text, parameterTypes: query.parameterTypes, analyze: run)
            } catch let error as ConnectorError where error.sqlState == SQLState.indeterminateDatatype {
                // `$1 IS NULL` and the like give the server nothing to infer from: text will do for a plan.
                node = try explainer.plan(query.text, parameterTypes: query.parameterTypes.map { $0 ?? "text" }, analyze: run)
            }
            return .planned(node, analyzed: run, notes: notes)
        } catch let error as ConnectorError where error.kind == .query {
            return .failed(error.message, sqlState: error.sqlState)
        }
    }

    /// Adds the verified missing-index findings; returns a note when the advice could not be
    /// verified (then no missing-index finding is given). A lost connection is thrown.
    static func addIndexAdvice(to statements: inout [StatementReview], db: Connection, snapshot: Snapshot) throws -> String? {
        let label: (StatementReview) -> String = { "\($0.file):\($0.line):\($0.column)" }
        let workload = statements.filter { $0.kind == .query && !$0.findings.contains { $0.check == ReviewCheck.explainError.id } }
            .map { WorkloadStatement(label: label($0), text: $0.text) }
        guard !workload.isEmpty else { return nil }
        let options = MissingIndexRule.options(Auditor(configuration: AuditConfiguration()).parameters(of: MissingIndexRule.self))
        let advice = try LiveIndexAdvice.advise(connection: db, snapshot: snapshot, workload: workload, options: options)
        guard advice.verified else {
            let why = advice.notes.first ?? "hypopg is not available"
            return "missing-index was not checked (it needs hypopg for verified advice): \(why)"
        }
        Reviewer.addIndexAdvice(advice, to: &statements, label: label)
        return nil
    }

    /// The functions ADD COLUMN defaults call, for the volatility lookup.
    static func defaultCalls(_ statements: [SourceStatement]) -> [String] {
        alterActions(statements).flatMap { action -> [String] in
            if case .addColumn(let column) = action { return column.defaultCalls ?? [] }
            return []
        }
    }

    /// Whether a statement sets a column NOT NULL: only then are the database's CHECK
    /// constraints read (`pg_get_constraintdef` over every one of them).
    static func setsNotNull(_ statements: [SourceStatement]) -> Bool {
        alterActions(statements).contains { if case .setNotNull = $0 { true } else { false } }
    }

    private static func alterActions(_ statements: [SourceStatement]) -> [AlterTableAction] {
        statements.flatMap { statement -> [AlterTableAction] in
            guard case .success(.schemaChange(let change)) = statement.parsed, case .alterTable(let actions) = change.form else { return [] }
            return actions
        }
    }
}
