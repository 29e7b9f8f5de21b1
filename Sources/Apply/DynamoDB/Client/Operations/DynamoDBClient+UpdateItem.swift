/// UpdateItem: changes some attributes of an item (creating it if absent), optionally under a condition.
public struct UpdateItemInput: Sendable, Hashable {
    public var tableName: String
    public var key: DynamoDBItem
    /// e.g. `SET #a = :a REMOVE #b`.
    public var updateExpression: String
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: DynamoDBItem
    /// Ignored inside a transaction.
    public var returnValues: ReturnValues?
    public var returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure?

    public init(
        tableName: String,
        key: DynamoDBItem,
        updateExpression: String,
        conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: DynamoDBItem = [:],
        returnValues: ReturnValues? = nil,
        returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure? = nil
    ) {
        self.tableName = tableName
        self.key = key
        self.updateExpression = updateExpression
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
    }

    /// The fields a TransactWriteItems `Update` action shares with UpdateItem.
    var actionBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("Key", item: key)
        body.add("UpdateExpression", updateExpression)
        body.addCondition(
            conditionExpression, names: expressionAttributeNames, values: expressionAttributeValues,
            returnValuesOnFailure: returnValuesOnConditionCheckFailure)
        return body
    }

    var requestBody: DynamoDBRequestBody {
        var body = actionBody
        body.add("ReturnValues", returnValues?.rawValue)
        return body
    }
}

public struct UpdateItemOutput: Sendable, Hashable {
    /// The attributes `returnValues` asked for.
    public var attributes: DynamoDBItem?
}

extension DynamoDBClient {
    @discardableResult
    public func updateItem(_ input: UpdateItemInput) async throws -> UpdateItemOutput {
        let response = try await invoke(
            .updateItem, table: input.tableName, body: input.requestBody.json,
            writeCost: { [input.tableName: input.writeCapacityUnits] })
        return UpdateItemOutput(attributes: try response.item("Attributes"))
    }
}
