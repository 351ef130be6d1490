/// The subset of JSON Schema (draft 2020-12) the published schemas in reports/schema/ use:
/// `type` (a name or a list), `properties`, `required`, `additionalProperties` (true, false or
/// a schema), `items`, `enum`, `const`, `$ref` to `#/$defs/…`, and the annotations `$schema`,
/// `$id`, `title`, `description`, `$defs`. A schema using any other keyword is reported as a
/// problem rather than silently passed.
struct JSONSchemaValidator {
    var root: JSONSchemaValue

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs", "$comment"]
    static let assertions: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "enum", "const", "$ref"]

    /// Each way `document` breaks the schema, with the path of the value (`$.findings[0].rule`).
    func validate(_ document: JSONSchemaValue) -> [String] {
        var problems: [String] = []
        check(document, against: root, at: "$", problems: &problems)
        return problems
    }

    private func check(_ value: JSONSchemaValue, against schema: JSONSchemaValue, at path: String, problems: inout [String]) {
        if case .bool(let accepts) = schema {
            if !accepts { problems.append("\(path): not allowed") }
            return
        }
        guard case .object(let keywords) = schema else { problems.append("\(path): the schema is not an object"); return }
        for key in keywords.keys where !Self.annotations.contains(key) && !Self.assertions.contains(key) {
            problems.append("\(path): unsupported schema keyword \(key)")
        }
        if case .string(let reference)? = keywords["$ref"] {
            guard let target = resolve(reference) else { problems.append("\(path): unresolved $ref \(reference)"); return }
            check(value, against: target, at: path, problems: &problems)
        }
        if let type = keywords["type"] { checkType(value, type, at: path, problems: &problems) }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(value) {
            problems.append("\(path): \(value) is not one of the allowed values")
        }
        if let constant = keywords["const"], constant != value { problems.append("\(path): \(value) is not \(constant)") }
        if case .array(let elements) = value, let items = keywords["items"] {
            for (i, element) in elements.enumerated() { check(element, against: items, at: "\(path)[\(i)]", problems: &problems) }
        }
        if case .object(let members) = value { checkObject(members, keywords, at: path, problems: &problems) }
    }

    private func checkType(_ value: JSONSchemaValue, _ type: JSONSchemaValue, at path: String, problems: inout [String]) {
        let names: [String] = switch type {
        case .string(let name): [name]
        case .array(let list): list.compactMap { if case .string(let name) = $0 { name } else { nil } }
        default: []
        }
        if value.types.isDisjoint(with: names) {
            problems.append("\(path): a \(value.types.sorted().joined(separator: "/")) where the schema wants \(names.joined(separator: " or "))")
        }
    }

    private func checkObject(_ members: [String: JSONSchemaValue], _ keywords: [String: JSONSchemaValue], at path: String,
                             problems: inout [String]) {
        var properties: [String: JSONSchemaValue] = [:]
        if case .object(let declared)? = keywords["properties"] { properties = declared }
        if case .array(let required)? = keywords["required"] {
            for case .string(let name) in required where members[name] == nil { problems.append("\(path): missing \(name)") }
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let schema = properties[name] {
                check(member, against: schema, at: "\(path).\(name)", problems: &problems)
            } else if let extra = keywords["additionalProperties"] {
                check(member, against: extra, at: "\(path).\(name)", problems: &problems)
            }
        }
    }

    private func resolve(_ reference: String) -> JSONSchemaValue? {
        guard reference.hasPrefix("#/$defs/"), case .object(let top) = root, case .object(let defs)? = top["$defs"] else { return nil }
        return defs[String(reference.dropFirst("#/$defs/".count))]
    }
}
