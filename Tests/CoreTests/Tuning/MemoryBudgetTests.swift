import Core
import Testing

@Suite struct MemoryBudgetTests {
    /// PostgreSQL 15 defaults on 24 GB: 128MB + 108 × 1.5 × 4MB + 3 × 64MB = 968 MB.
    @Test func defaultsOnTwentyFourGigabytes() {
        let b = MemoryBudget(sharedBuffersKB: 131_072, connections: 100, workMemKB: 4096, parallelWorkers: 8,
                             autovacuumWorkers: 3, autovacuumMemKB: 65_536, ramKB: 24 << 20)
        #expect(b.queryMemoryKB == 663_552)
        #expect(b.totalKB == 131_072 + 663_552 + 196_608)
        #expect(!b.overcommits)
    }

    /// work_mem 256MB: 128MB + 108 × 1.5 × 256MB + 192MB = 41,792 MB, 170 % of 24 GB.
    @Test func largeWorkMemOvercommits() {
        let b = MemoryBudget(sharedBuffersKB: 131_072, connections: 100, workMemKB: 262_144, parallelWorkers: 8,
                             autovacuumWorkers: 3, autovacuumMemKB: 65_536, ramKB: 24 << 20)
        #expect(b.totalKB == 41_792 * 1024)
        #expect(b.overcommits)
        // (0.9 × 25,165,824 kB − 131,072 − 196,608) / (108 × 1.5) = 137,787 kB → 134 MB whole.
        #expect(b.safeWorkMemKB == 134 * 1024)
        let safe = MemoryBudget(sharedBuffersKB: 131_072, connections: 100, workMemKB: b.safeWorkMemKB, parallelWorkers: 8,
                                autovacuumWorkers: 3, autovacuumMemKB: 65_536, ramKB: 24 << 20)
        #expect(!safe.overcommits)
    }

    /// PGTune's own work_mem divides (RAM − shared_buffers) by 3 × (connections + workers): its
    /// baseline must not read as an overcommit. 4 GB web: 1GB + 208 × 1.5 × 5041kB + 3 × 256MB.
    @Test func pgtuneBaselineFits() {
        let b = MemoryBudget(sharedBuffersKB: 1 << 20, connections: 200, workMemKB: 5041, parallelWorkers: 8,
                             autovacuumWorkers: 3, autovacuumMemKB: 262_144, ramKB: 4 << 20)
        #expect(b.share > 0.75 && b.share < 0.85)
        #expect(!b.overcommits)
    }

    @Test func tinyMachinesNeverGetLessThanTheServerMinimum() {
        let b = MemoryBudget(sharedBuffersKB: 200_000, connections: 1000, workMemKB: 4096, parallelWorkers: 8,
                             autovacuumWorkers: 3, autovacuumMemKB: 65_536, ramKB: 262_144)
        #expect(b.safeWorkMemKB == 64)
    }
}
