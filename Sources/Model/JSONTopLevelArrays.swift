import Foundation

/// A JSON object's top-level arrays cut out of the document: the document without their
/// elements (each such array left empty, `[]`), and where each element of each lies in the
/// original bytes. Lets a large document be decoded an array chunk at a time.
///
/// Only arrays that are values of the named keys, directly in the top-level object, are cut.
/// The scan checks structure only (strings, nesting); anything it does not understand makes
/// it return nil, and the caller decodes the document whole, which reports the problem.
struct JSONTopLevelArrays {
    /// The document with the elements of the cut arrays removed.
    var skeleton = Data()
    /// The byte ranges of the elements of each cut array, in order.
    var elements: [String: [Range<Int>]] = [:]

    init?(_ data: Data, keys: Set<String>) {
        let cut = data.withUnsafeBytes { bytes -> Bool in
            var scanner = Scanner(bytes: bytes, keys: keys)
            return scanner.run(into: &self)
        }
        guard cut else { return nil }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        let keys: Set<String>
        var depth = 0
        /// Start of the bytes not yet copied into the skeleton.
        var copied = 0
        /// The key last read at depth 1, and whether a ':' followed it.
        var lastKey: String?
        var afterColon = false
        /// The array being cut: its key, where its current element starts.
        var cutting: String?
        var elementStart: Int?
        var ranges: [Range<Int>] = []

        init(bytes: UnsafeRawBufferPointer, keys: Set<String>) {
            self.bytes = bytes
            self.keys = keys
        }

        mutating func run(into result: inout JSONTopLevelArrays) -> Bool {
            var i = 0
            let count = bytes.count
            while i < count {
                let byte = bytes[i]
                switch byte {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(from: i) else { return false }
                    if depth == 1 && cutting == nil {
                        lastKey = afterColon ? nil : String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
                        afterColon = false
                    } else if depth == 2, cutting != nil, elementStart == nil {
                        elementStart = i
                    }
                    i = end
                case UInt8(ascii: ":"):
                    if depth == 1 { afterColon = lastKey != nil }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if depth == 0 && byte != UInt8(ascii: "{") { return false }
                    if depth == 1, byte == UInt8(ascii: "["), afterColon, let key = lastKey, keys.contains(key) {
                        guard result.elements[key] == nil else { return false }
                        result.skeleton.append(contentsOf: bytes[copied...i])
                        cutting = key
                        ranges = []
                    } else if depth == 2, cutting != nil, elementStart == nil {
                        elementStart = i
                    }
                    if depth == 1 { lastKey = nil; afterColon = false }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    guard depth >= 0 else { return false }
                    if depth == 1, let key = cutting {
                        if let start = elementStart { ranges.append(start..<trimmedEnd(before: i)) }
                        result.elements[key] = ranges
                        cutting = nil
                        elementStart = nil
                        copied = i
                    }
                case UInt8(ascii: ","):
                    if depth == 2, cutting != nil {
                        guard let start = elementStart else { return false }
                        ranges.append(start..<trimmedEnd(before: i))
                        elementStart = nil
                    }
                    if depth == 1 { lastKey = nil; afterColon = false }
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    break
                default:
                    // A scalar (number, true, false, null) as an element of a cut array.
                    if depth == 2, cutting != nil, elementStart == nil { elementStart = i }
                    if depth == 1 { lastKey = nil; afterColon = false }
                }
                i += 1
            }
            guard depth == 0, cutting == nil else { return false }
            result.skeleton.append(contentsOf: bytes[copied..<count])
            return true
        }

        /// The index of the quote closing the string that opens at `start`.
        func stringEnd(from start: Int) -> Int? {
            var i = start + 1
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\\"): i += 2
                case UInt8(ascii: "\""): return i
                default: i += 1
                }
            }
            return nil
        }

        /// `end` moved back over the whitespace before it.
        func trimmedEnd(before end: Int) -> Int {
            var e = end
            while e > 0 {
                switch bytes[e - 1] {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): e -= 1
                default: return e
                }
            }
            return e
        }
    }
}
