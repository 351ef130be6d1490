import Testing
@testable import Commands

/// The parameters a statement's generic plan has, and which statements get a current plan.
struct CurrentPlansTests {
    @Test func parameterCountIsTheHighestPlaceholder() {
        #expect(CurrentPlans.parameterCount("SELECT * FROM t WHERE a = $1 AND b = $12 OR c = $3") == 12)
        #expect(CurrentPlans.parameterCount("SELECT 1") == 0)
        #expect(CurrentPlans.parameterCount("SELECT $2") == 2)
        #expect(CurrentPlans.parameterCount("SELECT price$ FROM t") == 0)
    }

    @Test func onlyReadsAndWritesOfRowsAreExplained() {
        #expect(CurrentPlans.explainable.contains(CurrentPlans.firstWord("  (SELECT 1)")))
        #expect(CurrentPlans.explainable.contains(CurrentPlans.firstWord("with x as (select 1) select * from x")))
        #expect(!CurrentPlans.explainable.contains(CurrentPlans.firstWord("VACUUM t")))
    }
}
