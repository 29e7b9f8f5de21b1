import Apply
import Shared

/// Attribute values and keys written for people: numbers as their digits, strings quoted as in JSON, booleans
/// and null as words, maps and lists as JSON of such values; binary and sets, rare in mapped items, in DynamoDB
/// JSON so their type shows.
enum AttributeValueText {
    static func text(_ value: DynamoDBAttributeValue) -> String {
        switch value {
        case .n(let digits): digits
        case .s(let string): quoted(string)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .m(let map): "{" + map.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        case .l(let list): "[" + list.map(text).joined(separator: ",") + "]"
        case .b, .ss, .ns, .bs: String(decoding: value.dynamoDBJSON.jsonBytes, as: UTF8.self)
        }
    }

    /// `id=42`, `pk="APP#1" sk=3`: key attributes in name order.
    static func key(_ key: DynamoDBItem) -> String {
        key.isEmpty ? "(no key)" : key.sorted { $0.key < $1.key }.map { "\($0.key)=\(text($0.value))" }.joined(separator: " ")
    }

    static func text(_ value: DynamoDBAttributeValue?) -> String {
        value.map(text) ?? "(absent)"
    }

    private static func quoted(_ string: String) -> String {
        String(decoding: JSONValue.string(string).jsonBytes, as: UTF8.self)
    }
}
