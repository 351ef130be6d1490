import Foundation
import Testing
import TestSupport

/// The reports that need a live server (doctor, verify, a fleet's summary) follow their
/// published schemas too: checked where the tests that run them read their JSON.
enum LiveReportSchemas {
    /// What `json` breaks of reports/schema/`schema` (empty when it follows it).
    static func problems(_ json: String, schema: String) -> [String] {
        do {
            let root = try JSONSchemaValue.load(ReportSample.root.appendingPathComponent("reports/schema/\(schema)"))
            return JSONSchemaValidator(root: root).validate(try JSONSchemaValue.parse(json))
        } catch {
            return ["\(schema): \(error)"]
        }
    }
}

@Suite struct LiveReportSchemaTests {
    @Test func doctorFollowsItsSchema() throws {
        guard TestServer.required(.shared) else { return }
        let r = try CLI.run(["doctor", TestServer.uri("postgres"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let problems = LiveReportSchemas.problems(r.stdout, schema: "doctor.schema.json")
        #expect(problems.isEmpty, "doctor --format json against reports/schema/doctor.schema.json: \(problems.prefix(10))")
        #expect(r.stdout.contains("\"checks\""))
    }
}
