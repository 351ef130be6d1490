import Foundation

extension Snapshot {
    /// Why `data` is not a JSON object, in words a user can act on: empty, binary, another
    /// kind of JSON value, or JSON cut short or damaged.
    static func whyNotJSON(_ data: Data) -> String {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard let first = data.first(where: { !whitespace.contains($0) }) else { return "the file is empty" }
        if data.contains(0) || String(data: data, encoding: .utf8) == nil {
            return "the file holds binary data, not JSON"
        }
        guard first == UInt8(ascii: "{") else { return "the file is not a JSON object" }
        return "the JSON is invalid or cut short: the file is truncated or damaged"
    }
}
