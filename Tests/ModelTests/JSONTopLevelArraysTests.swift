import Foundation
import Testing
@testable import Model

struct JSONTopLevelArraysTests {
    static func cut(_ text: String, _ keys: Set<String> = ["a"]) -> (String, [String: [String]])? {
        let data = Data(text.utf8)
        guard let cut = JSONTopLevelArrays(data, keys: keys) else { return nil }
        let elements = cut.elements.mapValues { $0.map { String(decoding: data[$0], as: UTF8.self) } }
        return (String(decoding: cut.skeleton, as: UTF8.self), elements)
    }

    @Test func cutsOnlyTheNamedTopLevelArrays() throws {
        let (skeleton, elements) = try #require(Self.cut(
            #"{"a" : [ {"x": [1, "]"]}, "s\"]", 3 ], "b": {"a": [4]}, "c": [5]}"#))
        #expect(skeleton == #"{"a" : [], "b": {"a": [4]}, "c": [5]}"#)
        #expect(elements["a"] == [#"{"x": [1, "]"]}"#, #""s\"]""#, "3"])
    }

    @Test func emptyArraysAndValuesThatLookLikeKeys() throws {
        let (skeleton, elements) = try #require(Self.cut(#"{"x": "a", "a": [], "y": ["a"]}"#))
        #expect(skeleton == #"{"x": "a", "a": [], "y": ["a"]}"#)
        #expect(elements["a"] == [])
    }

    @Test func refusesWhatItCannotCut() {
        #expect(Self.cut("[1, 2]") == nil)
        #expect(Self.cut(#"{"a": [1, 2"#) == nil)
        #expect(Self.cut(#"{"a": [1], "a": [2]}"#) == nil)
        #expect(Self.cut(#"{"a": ["unterminated]}"#) == nil)
        #expect(Self.cut(#"{"a": [1,, 2]}"#) == nil)
    }
}
