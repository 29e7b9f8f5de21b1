import Shared
import Testing

@testable import Apply

/// How record values become DynamoDB values under the default mapping (docs/design.md, "Mapping to DynamoDB").
@Suite("Column type mapping")
struct ColumnTypeMappingTests {
    let mapper: ItemMapper

    init() throws {
        let mappings = try tableMappings(document())
        mapper = try ItemMapper(mappings: mappings, schema: "public", table: "t", primaryKey: ["id"])
    }

    func item(_ json: String, _ columnTypes: KeyValuePairs<String, String>) throws -> DynamoDBItem {
        try mapper.item(for: row(json), types: types(columnTypes))
    }

    @Test func numbersKeepTheirExactDigits() throws {
        let item = try item(
            #"{"id": 1, "big": 123456789012345678901234567890.12, "n": 12.30, "i8": 9223372036854775807, "f": 1.5e-7, "neg": -0.000100}"#,
            ["id": "int4", "big": "numeric", "n": "numeric", "i8": "int8", "f": "float8", "neg": "numeric"])
        #expect(item["big"] == .n("123456789012345678901234567890.12"))
        #expect(item["n"] == .n("12.30"))
        #expect(item["i8"] == .n("9223372036854775807"))
        #expect(item["f"] == .n("1.5e-7"))
        #expect(item["neg"] == .n("-0.000100"))
        #expect(item.dynamoDBJSON.jsonText.contains(#""big":{"N":"123456789012345678901234567890.12"}"#))
    }

    @Test func nanAndInfinityBecomeStrings() throws {
        let item = try item(
            #"{"id": 1, "a": "NaN", "b": "Infinity", "c": "-Infinity"}"#,
            ["id": "int4", "a": "numeric", "b": "float8", "c": "float4"])
        #expect(item["a"] == .s("NaN"))
        #expect(item["b"] == .s("Infinity"))
        #expect(item["c"] == .s("-Infinity"))
    }

    @Test func numbersDynamoDBCannotHoldAreMappingErrors() throws {
        let tooPrecise = try row(#"{"id": 1, "x": 1.23456789012345678901234567890123456789}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: tooPrecise, types: types(["x": "numeric"])) }
                == .numberOutOfRange(column: "x", value: "1.23456789012345678901234567890123456789"))
        let tooLarge = try row(#"{"id": 1, "x": 1.7976931348623157e308}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: tooLarge, types: types(["x": "float8"])) }
                == .numberOutOfRange(column: "x", value: "1.7976931348623157e308"))
        // 38 significant digits, with zeros around them that do not count.
        let item = try item(#"{"id": 1, "x": 0.0012345678901234567890123456789012345678000}"#, ["x": "numeric"])
        #expect(item["x"] == .n("0.0012345678901234567890123456789012345678000"))
    }

    @Test func textTimestampsDatesAndUUIDsAreStrings() throws {
        let item = try item(
            """
            {"id": 1, "name": "Zoë", "at": "2024-11-24T15:33:20.123456", "atz": "2024-11-24T15:33:20.123456Z",
             "day": "2024-11-24", "uid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "amount": "$1.00", "empty": ""}
            """,
            [
                "id": "int4", "name": "text", "at": "timestamp", "atz": "timestamptz", "day": "date", "uid": "uuid",
                "amount": "money", "empty": "varchar",
            ])
        #expect(item["name"] == .s("Zoë"))
        #expect(item["at"] == .s("2024-11-24T15:33:20.123456"))
        #expect(item["atz"] == .s("2024-11-24T15:33:20.123456Z"))
        #expect(item["day"] == .s("2024-11-24"))
        #expect(item["uid"] == .s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        #expect(item["amount"] == .s("$1.00"))
        #expect(item["empty"] == .s(""))
    }

    @Test func boolIsBOOLAndNullIsLeftOut() throws {
        let item = try item(
            #"{"id": 1, "ok": true, "no": false, "gone": null}"#,
            ["id": "int4", "ok": "bool", "no": "bool", "gone": "text"])
        #expect(item == ["id": .n("1"), "ok": .bool(true), "no": .bool(false)])
    }

    @Test func byteaIsDecodedToB() throws {
        let item = try item(
            #"{"id": 1, "blob": "AAEC/w==", "none": ""}"#, ["id": "int4", "blob": "bytea", "none": "bytea"])
        #expect(item["blob"] == .b([0x00, 0x01, 0x02, 0xFF]))
        #expect(item["none"] == .b([]))
        let bad = try row(#"{"id": 1, "blob": "not base64!"}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: bad, types: types(["blob": "bytea"])) }
                == .invalidBytea(column: "blob"))
    }

    @Test func jsonbIsANestedMapWithListsAndExactNumbers() throws {
        let item = try item(
            """
            {"id": 1, "doc": {"name": "x", "tags": ["a", 2, null, true], "price": 10.50,
                              "nested": {"deep": [{"n": 123456789012345678901234567890}]}, "nothing": null},
             "list": [1, "two"], "scalar": "just text"}
            """,
            ["id": "int4", "doc": "jsonb", "list": "json", "scalar": "jsonb"])
        #expect(
            item["doc"]
                == .m([
                    "name": .s("x"), "tags": .l([.s("a"), .n("2"), .null, .bool(true)]), "price": .n("10.50"),
                    "nested": .m(["deep": .l([.m(["n": .n("123456789012345678901234567890")])])]), "nothing": .null,
                ]))
        #expect(item["list"] == .l([.n("1"), .s("two")]))
        #expect(item["scalar"] == .s("just text"))
    }

    @Test func jsonbMappedThroughAScalarTemplateIsItsJSONText() throws {
        let mappings = try tableMappings(
            document(
                withRules: """
                    {"rule-type": "object-mapping", "rule-id": "2", "rule-action": "map-record-to-record",
                     "object-locator": {"schema-name": "public", "table-name": "t"},
                     "mapping-parameters": {"partition-key-name": "id", "exclude-columns": ["doc"],
                       "attribute-mappings": [{"target-attribute-name": "docText", "attribute-type": "scalar",
                                               "attribute-sub-type": "string", "value": "${doc}"}]}}
                    """))
        let mapper = try ItemMapper(mappings: mappings, schema: "public", table: "t")
        let item = try mapper.item(
            for: row(#"{"id": 1, "doc": {"b": [1, 2.50], "a": "x"}}"#), types: types(["doc": "jsonb"]))
        #expect(item == ["id": .n("1"), "docText": .s(#"{"b":[1,2.50],"a":"x"}"#)])
    }

    @Test func arraysAreLists() throws {
        let item = try item(
            #"{"id": 1, "ints": [1, null, 3], "texts": ["a", "b"], "grid": [[1, 2], [3, 4]], "blobs": ["AQ==", null], "none": []}"#,
            ["id": "int4", "ints": "int4[]", "texts": "text[]", "grid": "int4[]", "blobs": "bytea[]", "none": "text[]"])
        #expect(item["ints"] == .l([.n("1"), .null, .n("3")]))
        #expect(item["texts"] == .l([.s("a"), .s("b")]))
        #expect(item["grid"] == .l([.l([.n("1"), .n("2")]), .l([.n("3"), .n("4")])]))
        #expect(item["blobs"] == .l([.b([1]), .null]))
        #expect(item["none"] == .l([]))
    }

    @Test func typesAreFoundWhateverTheirOrder() throws {
        let item = try item(
            #"{"id": 1, "blob": "AQ==", "text": "AQ=="}"#, ["text": "text", "blob": "bytea", "id": "int4"])
        #expect(item["blob"] == .b([1]))
        #expect(item["text"] == .s("AQ=="))
    }
}

@Suite("Key values")
struct KeyValueTests {
    func mapper(keySchema: [KeyAttribute]?) throws -> ItemMapper {
        try ItemMapper(
            mappings: tableMappings(document()), schema: "s", table: "t", primaryKey: ["id"], keySchema: keySchema)
    }

    @Test func keysFollowTheTablesKeySchemaWhereNothingIsLost() throws {
        let stringKeyed = try mapper(keySchema: [KeyAttribute(name: "id", type: .string)])
        #expect(try stringKeyed.item(for: row(#"{"id": 42, "x": 1}"#), types: []) == ["id": .s("42"), "x": .n("1")])
        #expect(try stringKeyed.key(for: row(#"{"id": 42}"#), types: []) == ["id": .s("42")])

        let numberKeyed = try mapper(keySchema: [KeyAttribute(name: "id", type: .number)])
        #expect(try numberKeyed.key(for: row(#"{"id": "0042.50"}"#), types: []) == ["id": .n("0042.50")])
        let text = try row(#"{"id": "abc"}"#)
        #expect(
            mappingError { () throws(MappingError) in try numberKeyed.key(for: text, types: []) }
                == .invalidKeyValue(attribute: "id", reason: "the table's key schema wants N, the row gives S"))
    }

    @Test func keysMustBeNonEmptyScalars() throws {
        let mapper = try mapper(keySchema: nil)
        let empty = try row(#"{"id": ""}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.key(for: empty, types: []) }
                == .invalidKeyValue(attribute: "id", reason: "key values must not be empty"))
        let flag = try row(#"{"id": true}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: flag, types: []) }
                == .invalidKeyValue(attribute: "id", reason: "keys must be S, N or B, the row gives BOOL"))
        let null = try row(#"{"id": null}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.key(for: null, types: []) }
                == .missingKeyAttribute("id"))
    }

    @Test func withoutAnyKeySourceTheMapperCannotBeBuilt() throws {
        #expect(throws: MappingConfigurationError.noKeyAttributes(table: "s.t")) {
            try ItemMapper(mappings: tableMappings(document()), schema: "s", table: "t")
        }
    }

    @Test func twoObjectMappingsForOneTableAreAmbiguous() throws {
        let rule = { (id: Int, table: String) in
            """
            {"rule-type": "object-mapping", "rule-id": "\(id)", "rule-action": "map-record-to-record",
             "object-locator": {"schema-name": "s", "table-name": "\(table)"}, "mapping-parameters": {"partition-key-name": "id"}}
            """
        }
        let mappings = try tableMappings(document(withRules: rule(2, "t%"), rule(3, "t")))
        #expect(throws: MappingConfigurationError.ambiguousObjectMapping(table: "s.t", ruleIds: ["2", "3"])) {
            try ItemMapper(mappings: mappings, schema: "s", table: "t")
        }
    }
}

extension JSONValue {
    var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }
}
