import Foundation

extension ParsedQuery {
    /// Every string value of a field called `field` anywhere in the parse tree: `relname`,
    /// `schemaname`, `idxname`, `rolename`, `defname`, or `sval` for the text of `String` nodes
    /// and string constants. Enum fields come back as their names (`objtype`: `OBJECT_MATVIEW`).
    /// Lists are read in order and the fields of one node by name, so the order is stable;
    /// empty when the tree cannot be read.
    public func strings(named field: String) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(tree.utf8)) else { return [] }
        var found: [String] = []
        Self.collect(field, in: root, into: &found)
        return found
    }

    /// Appends the string values of `field` in `json` and below to `found`, depth first.
    private static func collect(_ field: String, in json: Any, into found: inout [String]) {
        if let object = json as? [String: Any] {
            for key in object.keys.sorted() {
                guard let value = object[key] else { continue }
                if key == field, let text = value as? String { found.append(text) }
                collect(field, in: value, into: &found)
            }
        } else if let list = json as? [Any] {
            for item in list { collect(field, in: item, into: &found) }
        }
    }
}
