import Core
import Testing
@testable import Commands

/// The parameters a statement's generic plan has, and which statements get a current plan.
struct CurrentPlansTests {
    /// Statements are explained as the advisor reads them: one type slot per `$n` up to the highest.
    @Test func parameterCountIsTheHighestPlaceholder() {
        let reader = ExplainableStatement.Reader(snapshot: Example.snapshot())
        #expect(reader.read("SELECT * FROM t WHERE a = $1 AND b = $12 OR c = $3").parameterTypes.count == 12)
        #expect(reader.read("SELECT 1").parameterTypes.count == 0)
        #expect(reader.read("SELECT $2").parameterTypes.count == 2)
        #expect(reader.read("SELECT price$ FROM t").parameterTypes.count == 0)
    }

    @Test func onlyReadsAndWritesOfRowsAreExplained() {
        #expect(CurrentPlans.explainable.contains(CurrentPlans.firstWord("  (SELECT 1)")))
        #expect(CurrentPlans.explainable.contains(CurrentPlans.firstWord("with x as (select 1) select * from x")))
        #expect(!CurrentPlans.explainable.contains(CurrentPlans.firstWord("VACUUM t")))
    }
}
