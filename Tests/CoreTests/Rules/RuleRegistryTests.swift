import Core
import Foundation
import Testing

@Suite struct RuleRegistryTests {
    /// `Sources/Core/Rules`, found from this file's path.
    static let rulesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Core/Rules")

    @Test func registryMatchesTheRuleFilesOnDisk() throws {
        let enumerator = try #require(FileManager.default.enumerator(atPath: Self.rulesFolder.path))
        let onDisk = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix("Rule.swift") && $0.contains("/") }
            .map { ($0 as NSString).lastPathComponent.replacingOccurrences(of: ".swift", with: "") }
        let registered = RuleRegistry.all.map { String(describing: $0) }
        #expect(Set(onDisk) == Set(registered), "add new rules to RuleRegistry.all")
        #expect(registered.count == Set(registered).count)
    }

    @Test func idsAreUniqueKebabCase() {
        let ids = RuleRegistry.all.map { $0.description.id }
        #expect(ids.count == Set(ids).count)
        for id in ids {
            #expect(id.range(of: "^[a-z]+(-[a-z]+)*$", options: .regularExpression) != nil, "\(id)")
        }
    }

    @Test func ruleFileNamesFollowCategory() throws {
        for rule in RuleRegistry.all {
            let folder = rule.description.category.folder
            let path = Self.rulesFolder.appendingPathComponent("\(folder)/\(String(describing: rule)).swift").path
            #expect(FileManager.default.fileExists(atPath: path), "\(rule) lives in Rules/\(folder)/")
        }
    }

    @Test func descriptionsAreComplete() {
        for d in RuleRegistry.descriptions {
            #expect(!d.title.isEmpty && !d.summary.isEmpty && !d.rationale.isEmpty, "\(d.id)")
            #expect(d.manual.hasPrefix("https://www.postgresql.org/docs/"), "\(d.id)")
            let keys = d.parameters.map(\.key)
            #expect(keys.count == Set(keys).count, "\(d.id)")
            for case .statisticsAge(let parameter) in d.requirements {
                #expect(keys.contains(parameter), "\(d.id) declares \(parameter)")
            }
            for example in d.examples {
                for key in example.parameters.keys { #expect(keys.contains(key), "\(d.id): \(example.name)") }
            }
        }
    }
}
