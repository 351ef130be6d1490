import Foundation
import Testing
import TestSupport

/// The samples under reports/ are what pgadvisor prints now, from the recorded snapshot, byte
/// for byte; each JSON sample follows its published schema.
@Suite struct ReportSamplesTests {
    @Test func manifestListsEveryFormat() {
        let files = Set(ReportSample.all.map(\.file))
        for format in ["txt", "md", "json", "html"] { #expect(files.contains("demo/audit.\(format)")) }
        for file in ["demo/plan.sql", "demo/rollback.sql", "demo/plan.json", "demo/tune.txt", "rules.md"] { #expect(files.contains(file)) }
        #expect(!files.contains { $0.hasPrefix("malformed") }, "\(files)")
    }

    @Test(arguments: ReportSample.all.filter { $0.arguments != nil })
    func sampleIsCurrent(_ sample: ReportSample) throws {
        let onDisk = try String(contentsOf: sample.path, encoding: .utf8)
        let r = try #require(try sample.render())
        #expect(r.status == 0, "\(r.stderr)")
        #expect(onDisk == r.stdout, "reports/\(sample.file) is stale: run scripts/reports")
    }

    @Test(arguments: ReportSample.all.filter { $0.schema != nil })
    func sampleFollowsItsSchema(_ sample: ReportSample) throws {
        let schemaURL = ReportSample.root.appendingPathComponent("reports/schema").appendingPathComponent(sample.schema ?? "")
        let schema = try JSONSchemaValue.load(schemaURL)
        let document = try JSONSchemaValue.load(sample.path)
        let problems = JSONSchemaValidator(root: schema).validate(document)
        #expect(problems.isEmpty, "reports/\(sample.file) against \(sample.schema ?? ""): \(problems.prefix(10))")
    }
}
