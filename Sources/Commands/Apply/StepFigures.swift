import Connector
import Foundation
import Model
import Planner

/// The "before" figures of a step, for verify: the statements it should speed up (or, for a
/// drop, the statements on its table) and an index's scans. Best effort: without
/// pg_stat_statements they are empty.
enum StepFigures {
    static func before(_ step: PlanStep, _ db: Connection) -> BeforeFigures? {
        guard step.kind == "create-index" || step.kind == "drop-index" else { return nil }
        let statements = (try? statementFigures(ids: step.statements, table: step.object.table, db)) ?? []
        var scans: Int64?
        if step.kind == "drop-index", let index = step.object.index {
            scans = try? db.query("""
                -- pgadvisor: before figures
                SELECT idx_scan FROM pg_catalog.pg_stat_all_indexes WHERE indexrelid = pg_catalog.to_regclass($1)
                """, [SQLQuoting.qualified(index)]).rows.first?["idx_scan"].optionalInt64()
        }
        return BeforeFigures(statements: statements, indexScans: scans, statementsReset: statementsReset(db))
    }

    /// The statements with these query ids, or (none given) the 10 heaviest naming the table.
    static func statementFigures(ids: [Int64], table: QualifiedName?, _ db: Connection) throws -> [StatementFigure] {
        let rows: [Row]
        if !ids.isEmpty {
            rows = try db.query("""
                -- pgadvisor: before figures
                SELECT queryid::text AS queryid, sum(calls)::bigint AS calls, sum(total_exec_time) AS total, min(query) AS query
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
                  AND queryid = ANY ($1::bigint[]) GROUP BY queryid
                """, ["{" + ids.map(String.init).joined(separator: ",") + "}"]).rows
        } else if let table {
            rows = try db.query("""
                -- pgadvisor: before figures
                SELECT queryid::text AS queryid, sum(calls)::bigint AS calls, sum(total_exec_time) AS total, min(query) AS query
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
                  AND query ILIKE '%' || $1 || '%' AND query NOT LIKE '%pgadvisor:%' AND queryid IS NOT NULL
                  AND query ~* '^\\s*(select|insert|update|delete|with|merge|table|values)\\M'
                GROUP BY queryid ORDER BY sum(total_exec_time) DESC LIMIT 10
                """, [table.name]).rows
        } else {
            return []
        }
        return try rows.map { row in
            StatementFigure(queryId: Int64(try row["queryid"].string()) ?? 0, calls: try row["calls"].int64(),
                            totalMs: try row["total"].double(), text: try row["query"].string())
        }
    }

    static func statementsReset(_ db: Connection) -> Timestamp? {
        (try? db.query("-- pgadvisor: apply\nSELECT stats_reset FROM pg_stat_statements_info").rows.first?["stats_reset"].optionalTimestamp()) ?? nil
    }
}
