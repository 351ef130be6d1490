import Testing
@testable import Model

struct TimestampTests {
    @Test(arguments: [
        ("2026-11-23 12:10:00.123456+00", "2026-11-23T12:10:00.123456Z"),
        ("2026-11-23 12:10:00+00", "2026-11-23T12:10:00.000000Z"),
        ("2026-11-23 12:10:00.5+05:30", "2026-11-23T06:40:00.500000Z"),
        ("2000-02-29 23:59:59.999999-08", "2000-03-01T07:59:59.999999Z"),
        ("1969-12-31T23:59:59.000001Z", "1969-12-31T23:59:59.000001Z"),
        ("2026-11-23T12:10:00.123456Z", "2026-11-23T12:10:00.123456Z"),
    ])
    func parsesPostgresAndSnapshotForms(input: String, expected: String) throws {
        let parsed = try #require(Timestamp(parsing: input))
        #expect(parsed.iso8601 == expected)
        #expect(Timestamp(parsing: parsed.iso8601) == parsed)
    }

    @Test(arguments: ["infinity", "", "2026-13-01 00:00:00+00", "2026-11-23 12:10", "2026-11-23 12:10:00", "yesterday"])
    func rejectsWhatIsNotATimestamp(input: String) {
        #expect(Timestamp(parsing: input) == nil)
    }

    @Test func epochIsZero() {
        #expect(Timestamp(parsing: "1970-01-01 00:00:00+00")?.microseconds == 0)
        #expect(Timestamp(microseconds: 1_000_000).seconds(until: Timestamp(microseconds: 3_500_000)) == 2.5)
    }
}
