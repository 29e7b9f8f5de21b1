import Shared

/// Builds an operation's request document field by field, in the order written, leaving out fields that are
/// absent or empty (DynamoDB rejects empty `ExpressionAttributeNames`/`Values` maps).
struct DynamoDBRequestBody {
    private(set) var object = JSONObject()

    var json: JSONValue { .object(object) }

    mutating func add(_ name: String, _ value: JSONValue) {
        object.fields.append(JSONObject.Field(name: name, value: value))
    }

    mutating func add(_ name: String, _ text: String?) {
        if let text { add(name, .string(text)) }
    }

    mutating func add(_ name: String, _ flag: Bool?) {
        if let flag { add(name, .bool(flag)) }
    }

    mutating func add(_ name: String, _ number: Int?) {
        if let number { add(name, .integer(number)) }
    }

    mutating func add(_ name: String, item: DynamoDBItem?) {
        if let item { add(name, item.dynamoDBJSON) }
    }

    /// The condition part every conditional write (Put, Update, Delete, ConditionCheck) sends the same way.
    mutating func addCondition(
        _ expression: String?, names: [String: String], values: DynamoDBItem,
        returnValuesOnFailure: ReturnValuesOnConditionCheckFailure?
    ) {
        add("ConditionExpression", expression)
        addExpressionAttributes(names: names, values: values)
        add("ReturnValuesOnConditionCheckFailure", returnValuesOnFailure?.rawValue)
    }

    /// The expression parameters shared by every operation that takes expressions; names sorted so equal
    /// requests serialise equally.
    mutating func addExpressionAttributes(names: [String: String], values: DynamoDBItem) {
        if !names.isEmpty {
            let sortedNames = names.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
            add("ExpressionAttributeNames", .object(JSONObject(sortedNames)))
        }
        if !values.isEmpty {
            add("ExpressionAttributeValues", values.dynamoDBJSON)
        }
    }
}
