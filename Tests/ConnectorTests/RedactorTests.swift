import Testing
@testable import Connector

struct RedactorTests {
    @Test(arguments: [
        "postgresql://app:s3cr%40t@db1:5432/app",
        "host=db1 password=s3cr@t dbname=app",
        "host=db1 password = 's3cr@t' dbname=app",
        "postgresql://db1/app?password=s3cr%40t",
    ])
    func passwordsInConnectionStringsAreFound(conninfo: String) {
        let redactor = Redactor(conninfo: conninfo, environment: [:])
        // libpq may echo the password as written (percent-encoded in a URI) or decoded.
        let message = "could not parse \(conninfo) near s3cr@t"
        let redacted = redactor.redact(message)
        #expect(!redacted.contains("s3cr@t"))
        #expect(!redacted.contains("s3cr%40t"))
        #expect(redacted.contains("***"))
    }

    @Test func environmentPasswordIsMasked() {
        let redactor = Redactor(conninfo: nil, environment: ["PGPASSWORD": "hunter2"])
        #expect(redactor.redact("password hunter2 rejected") == "password *** rejected")
    }

    @Test func uriPasswordShapeIsMaskedEvenWhenUnknown() {
        let redactor = Redactor(conninfo: nil, environment: [:])
        #expect(redactor.redact("bad uri postgresql://bob:other@h/db") == "bad uri postgresql://bob:***@h/db")
        #expect(redactor.redact("password=xyz host=h") == "password=*** host=h")
    }

    @Test func plainTextIsUntouched() {
        let redactor = Redactor(conninfo: "host=h dbname=d", environment: [:])
        #expect(redactor.redact("connection refused") == "connection refused")
    }
}
