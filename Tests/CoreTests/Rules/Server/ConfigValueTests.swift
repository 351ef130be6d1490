import Core
import Testing

@Suite struct ConfigValueTests {
    @Test func sizesUseTheLargestExactUnit() {
        #expect(ConfigValue.size(2 << 30) == "2GB")
        #expect(ConfigValue.size(1536 << 20) == "1536MB")
        #expect(ConfigValue.size(10 << 20) == "10MB")
        #expect(ConfigValue.size(640 << 10) == "640kB")
        #expect(ConfigValue.size(2 << 40) == "2TB")
        // Memory settings have no unit below a kilobyte: round up.
        #expect(ConfigValue.size(1000) == "1kB")
        #expect(ConfigValue.size((1 << 20) + 1) == "1025kB")
    }

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

    @Test func listSettingsAreSplitLikePostgreSQLDoes() {
        #expect(ConfigValue.list("auto_explain, \"pg_stat_statements\"") == ["auto_explain", "pg_stat_statements"])
        #expect(ConfigValue.list("") == [])
        #expect(ConfigValue.list(" a ,, b ") == ["a", "b"])
        #expect(ConfigValue.list("\"with,comma\", b") == ["with,comma", "b"])
        #expect(ConfigValue.list("\"say \"\"hi\"\"\"") == ["say \"hi\""])
    }

    @Test func listTextQuotesOnlyWhatNeedsIt() {
        #expect(ConfigValue.listText(["auto_explain", "pg_stat_statements"]) == "auto_explain, pg_stat_statements")
        #expect(ConfigValue.listText(["$libdir/x", "with space"]) == "$libdir/x, \"with space\"")
        #expect(ConfigValue.list(ConfigValue.listText(["a,b", "c"])) == ["a,b", "c"])
    }
}
