import Core
import Testing

@Suite struct PoolSizingTests {
    @Test func twoCoresNeedAPoolerFromTheFirstTier() {
        let p = PoolSizing(cores: 2, storage: .ssd, dataSize: .midRAM)
        #expect(p.ceiling == 5)  // 2 × 2 + 1
        #expect(p.tiers.map(\.total) == [15, 30, 50, 70])
        #expect(p.tiers.allSatisfy { $0.needsPooler })
        let light = p.tiers[0]
        #expect(light.pgbouncer == PgBouncerSettings(poolMode: "transaction", defaultPoolSize: 5, maxClientConn: 30))
        #expect(light.maxConnections == 5 + PoolSizing.defaultHeadroom)
    }

    @Test func sixteenCoresServeTheLowerTiersDirectly() {
        let p = PoolSizing(cores: 16, storage: .hdd, dataSize: .greaterRAM)
        #expect(p.effectiveSpindles == 2)
        #expect(p.ceiling == 34)
        #expect(p.tiers.map(\.needsPooler) == [false, false, true, true])
        #expect(p.tiers[0].maxConnections == 15 + 10)
        #expect(p.tiers[2].pgbouncer?.defaultPoolSize == 34)
        #expect(p.tiers[2].maxConnections == 34 + 10)
    }

    @Test func cachedDataCountsNoSpindle() {
        #expect(PoolSizing(cores: 4, storage: .hdd, dataSize: .lessRAM).ceiling == 8)
    }

    @Test(arguments: [(3, PoolTier.Load.light), (15, .light), (16, .normal), (30, .normal), (50, .heavy), (51, .peak), (500, .peak)])
    func observedConnectionsMarkATier(connections: Int, tier: PoolTier.Load) {
        let p = PoolSizing(cores: 8, storage: .ssd, dataSize: .midRAM, observedConnections: connections)
        #expect(p.tiers.filter(\.observed).map(\.load) == [tier])
    }
}
