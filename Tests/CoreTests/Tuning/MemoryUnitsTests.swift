import Core
import Testing

@Suite struct MemoryUnitsTests {
    // MARK: - format (PGTune's rule: GB, MB or kB, never TB)

    @Test(arguments: [
        (Int64(1_048_576), "1GB"), (25_165_824, "24GB"), (1_073_741_824, "1024GB"),
        (1024, "1MB"), (2_096_128, "2047MB"), (1_572_864, "1536MB"), (102_400, "100MB"),
        (3932, "3932kB"), (32, "32kB"), (1_048_577, "1048577kB"), (1025, "1025kB"),
    ])
    func format(kB: Int64, expected: String) {
        #expect(MemoryUnits.format(kB: kB) == expected)
    }

    // MARK: - display (SHOW's rule: the largest exact unit up to TB)

    @Test(arguments: [
        (Int64(8192), "8MB"), (16_777_216, "16GB"), (1_073_741_824, "1TB"), (2_147_483_648, "2TB"),
        (1_074_790_400, "1025GB"), (3932, "3932kB"), (1, "1kB"), (0, "0kB"), (-1, "-1kB"),
    ])
    func display(kB: Int64, expected: String) {
        #expect(MemoryUnits.display(kB: kB) == expected)
    }

    // MARK: - parse (PostgreSQL syntax, to kB)

    @Test(arguments: [
        ("8kB", Int64(8)), ("64MB", 65_536), ("1GB", 1_048_576), ("1TB", 1_073_741_824), ("512", 512),
        ("64mb", 65_536), ("1gB", 1_048_576), ("8KB", 8), ("64 MB", 65_536), ("  2GB  ", 2_097_152),
        ("0", 0), ("2048B", 2), // (2^33 − 1) TB = 2^63 − 2^30 kB, the largest whole TB that fits.
        ("8589934591TB", 9_223_372_035_781_033_984),
    ])
    func parseAccepts(text: String, expected: Int64) {
        #expect(MemoryUnits.parse(text) == expected)
    }

    @Test(arguments: [
        "", " ", "-1", "-8kB", "+8kB", "1.5GB", "GB", "8 k B", "8  kB", "8PB", "8kBx", "abc", "8ms",
        "1536B", "8589934592TB", "99999999999999999999", "9223372036854775807GB", "0x10", "1e3",
    ])
    func parseRejects(text: String) {
        #expect(MemoryUnits.parse(text) == nil)
    }

    // MARK: - bytes (CLI sizes: unit required, decimals allowed)

    @Test(arguments: [
        ("24GB", Int64(25_769_803_776)), ("512MB", 536_870_912), ("1TB", 1_099_511_627_776),
        ("4096MB", 4_294_967_296), ("2.5GB", 2_684_354_560), ("1 tb", 1_099_511_627_776), ("8kb", 8192),
        ("100B", 100), ("0.5kB", 512),
        // 0.1 × 2^30 = 107,374,182.4 → 107,374,182 (rounded down).
        ("0.1GB", 107_374_182),
        // 0.333333333333333333 (18 digits) × 1024 = 341.33… → 341.
        ("0.333333333333333333kB", 341),
        // 8,388,607 TB = (2^23 − 1) · 2^40 = 2^63 − 2^40, the largest whole TB that fits.
        ("8388607TB", 9_223_370_937_343_148_032),
    ])
    func bytesAccepts(text: String, expected: Int64) {
        #expect(MemoryUnits.bytes(text) == expected)
    }

    @Test(arguments: [
        "24", "2.5", "", "GB", ".5GB", "2.GB", "1.2.3GB", "-1GB", "+1GB", "2,5GB", "1e3MB", "24 G", "24XB",
        "8388608TB", "0.1234567890123456789GB",
    ])
    func bytesRejects(text: String) {
        #expect(MemoryUnits.bytes(text) == nil)
    }

    // MARK: - settingValue (pg_settings setting + unit, to kB)

    @Test(arguments: [
        ("16384", "8kB" as String?, Int64(131_072)), // shared_buffers 128 MB in 8 kB pages
        ("4096", "kB", 4096), // work_mem 4 MB
        ("1024", "MB", 1_048_576), // max_wal_size 1 GB (PostgreSQL 11+)
        ("64", "16MB", 1_048_576), // max_wal_size 1 GB in 16 MB segments (before 11)
        ("1024", "B", 1), // track_activity_query_size
        ("1500", "B", 1), // rounded down to whole kB
        ("0", "kB", 0),
        ("2", "GB", 2_097_152),
    ])
    func settingValueAccepts(raw: String, unit: String?, expected: Int64) {
        #expect(MemoryUnits.settingValue(raw, unit: unit) == expected)
    }

    @Test(arguments: [
        ("-1", "kB" as String?), ("-1", "8kB"), ("-2", "kB"), ("64", nil), ("64", ""), ("64", "ms"),
        ("1.5", "kB"), ("on", nil), ("9223372036854775807", "8kB"), ("64", "0kB"),
    ])
    func settingValueRejects(raw: String, unit: String?) {
        #expect(MemoryUnits.settingValue(raw, unit: unit) == nil)
    }

    @Test func settingValueRoundTripsThroughDisplay() {
        // shared_buffers = 262144 × 8 kB = 2 GB; wal_buffers = 2048 × 8 kB = 16 MB.
        #expect(MemoryUnits.settingValue("262144", unit: "8kB").map(MemoryUnits.display(kB:)) == "2GB")
        #expect(MemoryUnits.settingValue("2048", unit: "8kB").map(MemoryUnits.display(kB:)) == "16MB")
    }

    @Test func bytesAsASettingValue() {
        #expect(MemoryUnits.display(bytes: 2 << 30) == "2GB")
        #expect(MemoryUnits.display(bytes: 1536 << 20) == "1536MB")
        #expect(MemoryUnits.display(bytes: 10 << 20) == "10MB")
        #expect(MemoryUnits.display(bytes: 640 << 10) == "640kB")
        #expect(MemoryUnits.display(bytes: 2 << 40) == "2TB")
        // Memory settings have no unit below a kilobyte: round up.
        #expect(MemoryUnits.display(bytes: 1000) == "1kB")
        #expect(MemoryUnits.display(bytes: (1 << 20) + 1) == "1025kB")
    }
}
