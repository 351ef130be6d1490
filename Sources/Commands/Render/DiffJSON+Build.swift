import Core
import Model

extension DiffJSON {
    static func report(_ report: DiffReport) -> Report {
        let d = report.diff
        let o = d.options
        return Report(
            schemaVersion: schemaVersion, generator: "pgadvisor \(PGAdvisor.version)",
            old: side(d.old, report.oldSource), new: side(d.new, report.newSource), windowSeconds: d.windowSeconds,
            options: Options(regression: o.regression, minDeltaMs: o.minDeltaMs, minCalls: o.minCalls, top: o.top),
            mismatches: d.mismatches.map(\.description), resets: resets(d.resets), caveats: d.caveats,
            findings: Findings(new: d.findings.new.map(finding), resolved: d.findings.resolved.map(finding),
                               severityChanged: d.findings.severityChanged.map(finding), notJudged: d.findings.notJudged.map(finding)),
            statements: Statements(regressed: d.regressions.map(statement), new: d.newStatements.map(statement)),
            indexes: d.indexes.map(index),
            growth: Growth(database: d.databaseGrowth.map(size), tables: d.tableGrowth.map(size), indexes: d.indexGrowth.map(size),
                           bloat: d.bloatGrowth.map(size)),
            settings: d.settings.map { Setting(name: $0.name, old: $0.oldValue, new: $0.newValue, pendingRestart: $0.pendingRestart) })
    }

    static func side(_ s: SnapshotDiff.Side, _ source: String) -> Side {
        Side(source: source, database: s.database, version: s.version, collectedAt: s.collectedAt, systemIdentifier: s.systemIdentifier)
    }

    static func resets(_ r: StatisticsResets) -> Resets {
        Resets(statements: r.statements.map { Reset(at: $0.at, evidence: $0.evidence) },
               relations: r.relations.map { Reset(at: $0.at, evidence: $0.evidence) },
               restartedAt: r.restartedAt, evictions: r.evictions, restartedStatements: r.restartedStatements,
               restartedIndexes: r.restartedIndexes)
    }

    static func finding(_ c: FindingChanges.Change) -> Finding {
        Finding(rule: c.finding.rule, severity: c.finding.severity.rawValue, oldSeverity: c.oldSeverity?.rawValue,
                target: c.finding.target.display, targetKind: c.finding.target.kind, message: c.finding.message, skipped: c.skippedReason,
                afterReset: c.afterReset ? true : nil)
    }

    static func statement(_ c: StatementChange) -> Statement {
        Statement(queryId: c.key.queryId, user: c.key.user, toplevel: c.key.toplevel, text: c.text, oldCalls: c.oldCalls,
                  oldMeanMs: c.oldMeanMs, windowCalls: c.window.calls, windowTotalMs: c.window.totalMs, windowMeanMs: c.window.meanMs,
                  basis: c.basis.rawValue, slowdown: c.slowdown)
    }

    static func index(_ c: IndexUsageChange) -> IndexChange {
        IndexChange(change: c.kind.rawValue, index: SQLQuoting.qualified(c.index), table: SQLQuoting.qualified(c.table),
                    oldScans: c.oldScans, newScans: c.newScans, windowScans: c.windowScans, basis: c.basis.rawValue, sizeBytes: c.sizeBytes)
    }

    static func size(_ c: SizeChange) -> Size {
        Size(kind: c.kind.rawValue, relation: c.relation.map(SQLQuoting.qualified), oldBytes: c.oldBytes, newBytes: c.newBytes,
             deltaBytes: c.deltaBytes)
    }
}
