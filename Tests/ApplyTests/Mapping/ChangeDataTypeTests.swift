import Shared
import Testing

@testable import Apply

/// The change-data-type transformation: a column's value converted to the rule's `data-type` and written with
/// that type; a value that does not convert is the row's error (dead-lettered).
@Suite("change-data-type")
struct ChangeDataTypeTests {
    static func changeType(_ id: Int, column: String, _ dataType: String) -> String {
        """
        {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "column",
         "rule-action": "change-data-type",
         "object-locator": {"schema-name": "dbo", "table-name": "T", "column-name": "\(column)"},
         "data-type": \(dataType)}
        """
    }

    let types = [
        ColumnType(column: "id", typeName: "int4"), ColumnType(column: "code", typeName: "varchar"),
        ColumnType(column: "amount", typeName: "numeric"), ColumnType(column: "flag", typeName: "text"),
        ColumnType(column: "at", typeName: "timestamptz"),
    ]

    func mapper(_ rules: String...) throws -> ItemMapper {
        try ItemMapper(
            mappings: tableMappings(document(withRules: rules.joined(separator: ","))), schema: "dbo", table: "T",
            primaryKey: ["id"])
    }

    func item(_ mapper: ItemMapper, _ json: String) throws -> DynamoDBItem {
        try mapper.item(for: try row(json), types: types)
    }

    @Test func valuesAreConvertedAndTyped() throws {
        let mapper = try mapper(
            Self.changeType(2, column: "id", #"{"type": "string"}"#),
            Self.changeType(3, column: "code", #"{"type": "int8"}"#),
            Self.changeType(4, column: "amount", #"{"type": "numeric", "precision": 6, "scale": 1}"#),
            Self.changeType(5, column: "flag", #"{"type": "boolean"}"#),
            Self.changeType(6, column: "at", #"{"type": "string", "length": 30}"#))
        let item = try item(
            mapper, #"{"id": 7, "code": "0042", "amount": 12.345, "flag": "true", "at": "2024-11-24T15:33:01Z"}"#)
        #expect(item == [
            "id": .s("7"), "code": .n("42"), "amount": .n("12.3"), "flag": .bool(true),
            // Time values convert from the form they are written in (six fraction digits by default).
            "at": .s("2024-11-24T15:33:01.000000Z"),
        ])
        // The key of a delete converts as the put's did, so it finds the item.
        #expect(try mapper.key(for: try row(#"{"id": 7}"#), types: types) == ["id": .s("7")])
    }

    @Test func theLastMatchingRuleWinsAndNullStaysAbsent() throws {
        let mapper = try mapper(
            Self.changeType(2, column: "%", #"{"type": "string"}"#),
            Self.changeType(3, column: "amount", #"{"type": "real8"}"#))
        let item = try item(mapper, #"{"id": 1, "code": null, "amount": 2.5, "flag": "x", "at": null}"#)
        #expect(item == ["id": .s("1"), "amount": .n("2.5"), "flag": .s("x")])
    }

    @Test func aValueThatDoesNotConvertIsTheRowsError() throws {
        let mapper = try mapper(
            Self.changeType(3, column: "code", #"{"type": "int2"}"#),
            Self.changeType(4, column: "flag", #"{"type": "string", "length": 2}"#))
        func error(_ json: String) throws -> MappingError? {
            let row = try row(json)
            return mappingError { () throws(MappingError) in try mapper.item(for: row, types: types) }
        }
        #expect(try error(#"{"id": 1, "code": "abc", "flag": "x"}"#)
            == .invalidValue(ruleId: "3", attribute: "code", value: "abc", expected: "an integer in -32768...32767"))
        #expect(try error(#"{"id": 1, "code": "70000", "flag": "x"}"#)
            == .invalidValue(ruleId: "3", attribute: "code", value: "70000", expected: "an integer in -32768...32767"))
        #expect(try error(#"{"id": 1, "code": "1.5", "flag": "x"}"#)
            == .invalidValue(ruleId: "3", attribute: "code", value: "1.5", expected: "an integer in -32768...32767"))
        #expect(try error(#"{"id": 1, "code": "1", "flag": "xyz"}"#)
            == .invalidValue(ruleId: "4", attribute: "flag", value: "xyz", expected: "a string of at most 2 characters"))
    }

    @Test func theRuleNeedsASupportedDataType() {
        #expect(parseError(document(withRules: Self.changeType(2, column: "c", #"{"type": "blob"}"#)))?.description
            == "table mappings, rule-id 2: 'data-type.type' 'blob' is not supported for change-data-type")
        #expect(parseError(document(withRules: """
            {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "rule-action": "change-data-type",
             "object-locator": {"schema-name": "dbo", "table-name": "T", "column-name": "c"}}
            """))?.description == "table mappings, rule-id 2: 'data-type' is missing")
    }
}
