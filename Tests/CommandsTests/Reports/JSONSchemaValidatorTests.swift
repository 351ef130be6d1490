import Testing

/// The small JSON Schema validator the sample tests use catches what it claims to.
@Suite struct JSONSchemaValidatorTests {
    static let schema = try! JSONSchemaValue.parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["schemaVersion", "items"],
          "additionalProperties": false,
          "properties": {
            "schemaVersion": { "const": 1 },
            "items": { "type": "array", "items": { "$ref": "#/$defs/item" } },
            "note": { "type": ["string", "null"] }
          },
          "$defs": {
            "item": {
              "type": "object", "required": ["kind", "count"], "additionalProperties": false,
              "properties": { "kind": { "enum": ["a", "b"] }, "count": { "type": "integer" } }
            }
          }
        }
        """)

    static func problems(_ json: String) throws -> [String] {
        JSONSchemaValidator(root: schema).validate(try JSONSchemaValue.parse(json))
    }

    @Test func acceptsAConformingDocument() throws {
        #expect(try Self.problems(#"{"schemaVersion": 1, "items": [{"kind": "a", "count": 3}], "note": null}"#) == [])
    }

    @Test(arguments: [
        (#"{"items": []}"#, "$: missing schemaVersion"),
        (#"{"schemaVersion": 2, "items": []}"#, "$.schemaVersion:"),
        (#"{"schemaVersion": 1, "items": [], "extra": true}"#, "$.extra: not allowed"),
        (#"{"schemaVersion": 1, "items": [{"kind": "c", "count": 1}]}"#, "$.items[0].kind:"),
        (#"{"schemaVersion": 1, "items": [{"kind": "a", "count": 1.5}]}"#, "$.items[0].count: a number where the schema wants integer"),
        (#"{"schemaVersion": 1, "items": [{"kind": "a", "count": true}]}"#, "$.items[0].count: a boolean"),
        (#"{"schemaVersion": 1, "items": {}}"#, "$.items: a object where the schema wants array"),
    ])
    func rejects(_ json: String, _ expected: String) throws {
        let problems = try Self.problems(json)
        #expect(problems.contains { $0.hasPrefix(expected) }, "\(problems)")
    }

    @Test func reportsKeywordsItDoesNotKnow() throws {
        let schema = try JSONSchemaValue.parse(#"{"type": "string", "pattern": "^a"}"#)
        #expect(JSONSchemaValidator(root: schema).validate(.string("b")) == ["$: unsupported schema keyword pattern"])
    }
}
