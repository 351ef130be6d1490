import ArgumentParser

/// How `plan` prints the plan.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    /// A psql script (`psql -X -f plan.sql`): the dry run.
    case sql
    /// The steps for a person to read.
    case text
    case markdown
    /// The plan as data: what `apply --plan` reads.
    case json

    /// The format a file name asks for (`plan.sql`, `plan.json`, `plan.md`, `plan.txt`).
    static func forFile(_ path: String) -> PlanFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".sql") { return .sql }
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".md") { return .markdown }
        if lower.hasSuffix(".txt") { return .text }
        return nil
    }
}
