import Shared
import Testing

@testable import Apply

/// Parsing an object mapping's `condition-expression`: placeholders renamed apart from ferry's own, values in
/// DynamoDB JSON or plain JSON, and every mistake DynamoDB would refuse on each write found at start-up.
@Suite("condition-expression")
struct WriteConditionTests {
    static func objectMapping(_ condition: String) -> String {
        document(withRules: """
            {"rule-type": "object-mapping", "rule-id": "5", "rule-name": "5", "rule-action": "map-record-to-record",
             "object-locator": {"schema-name": "dbo", "table-name": "T"},
             "mapping-parameters": {"partition-key-name": "id", "condition-expression": \(condition)}}
            """)
    }

    @Test func placeholdersAreRenamedApartFromFerrysOwn() throws {
        let mapper = try ItemMapper(
            mappings: tableMappings(Self.objectMapping("""
                {"expression": "attribute_not_exists(#v) OR (#v < :v AND Region = :r)",
                 "expression-attribute-names": [{"name": "#v", "value": "Version"}],
                 "expression-attribute-values": [{"name": ":v", "value": {"N": "3"}}, {"name": ":r", "value": "eu"}]}
                """)), schema: "dbo", table: "T")
        let condition = try #require(mapper.writeCondition)
        #expect(condition.ruleId == "5")
        #expect(condition.expression == "attribute_not_exists(#u_v) OR (#u_v < :u_v AND Region = :u_r)")
        #expect(condition.names == ["#u_v": "Version"])
        #expect(condition.values == [":u_v": .n("3"), ":u_r": .s("eu")])
    }

    @Test func mistakesFailAtStartUpNamingTheRule() {
        let cases: [(String, String)] = [
            (##"{"expression": "#a = :b", "expression-attribute-values": [{"name": ":b", "value": 1}]}"##,
             "'mapping-parameters.condition-expression.expression' uses #a, which the rule does not define"),
            (#"{"expression": "a = :b", "expression-attribute-values": [{"name": ":b", "value": 1}, {"name": ":c", "value": 2}]}"#,
             ":c is defined but not used in 'mapping-parameters.condition-expression.expression'"),
            (#"{"expression": "a = :b", "expression-attribute-values": [{"name": "b", "value": 1}]}"#,
             "'mapping-parameters.condition-expression.expression-attribute-values[0]': 'b' must be : followed by "
                + "letters, digits or _"),
            (#"{"expression": "a = :b", "expression-attribute-values": [{"name": ":b", "value": {"N": "x"}}]}"#,
             "'mapping-parameters.condition-expression.expression-attribute-values' :b: invalid DynamoDB JSON: "
                + "N: 'x' is not a number"),
            (#"{"expression-attribute-values": []}"#, "'mapping-parameters.condition-expression.expression' is missing"),
        ]
        for (condition, message) in cases {
            #expect(parseError(Self.objectMapping(condition))?.description == "table mappings, rule-id 5: " + message)
        }
    }
}
