import Model
import Testing

@Suite struct SettingListTests {
    @Test func listSettingsAreSplitLikePostgreSQLDoes() {
        #expect(SettingList.entries("auto_explain, \"pg_stat_statements\"") == ["auto_explain", "pg_stat_statements"])
        #expect(SettingList.entries("") == [])
        #expect(SettingList.entries(" a ,, b ") == ["a", "b"])
        #expect(SettingList.entries("\"with,comma\", b") == ["with,comma", "b"])
        #expect(SettingList.entries("\"say \"\"hi\"\"\"") == ["say \"hi\""])
    }

    @Test func listTextQuotesOnlyWhatNeedsIt() {
        #expect(SettingList.text(["auto_explain", "pg_stat_statements"]) == "auto_explain, pg_stat_statements")
        #expect(SettingList.text(["$libdir/x", "with space"]) == "$libdir/x, \"with space\"")
        #expect(SettingList.entries(SettingList.text(["a,b", "c"])) == ["a,b", "c"])
    }
}
