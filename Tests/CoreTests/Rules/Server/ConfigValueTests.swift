import Core
import Testing

@Suite struct ConfigValueTests {
    @Test func durationsUseTheLargestExactUnit() {
        #expect(ConfigValue.duration(ms: 1000) == "1s")
        #expect(ConfigValue.duration(ms: 30_000) == "30s")
        #expect(ConfigValue.duration(ms: 60_000) == "1min")
        #expect(ConfigValue.duration(ms: 90_000) == "90s")
        #expect(ConfigValue.duration(ms: 250) == "250ms")
        #expect(ConfigValue.duration(ms: 7_200_000) == "2h")
    }

    @Test func powersOfTwo() {
        #expect(ConfigValue.powerOfTwo(atLeast: 12_582_912) == 16 << 20)
        #expect(ConfigValue.powerOfTwo(atLeast: 16 << 20) == 16 << 20)
        #expect(ConfigValue.powerOfTwo(atLeast: 1) == 1)
        #expect(ConfigValue.powerOfTwo(atLeast: 0) == 1)
    }
}
