/// DeleteItem: removes an item by key, optionally under a condition. Deleting an absent item succeeds.
public struct DeleteItemInput: Sendable, Hashable {
    public var tableName: String
    public var key: DynamoDBItem
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: DynamoDBItem
    /// Ignored inside a transaction.
    public var returnValues: ReturnValues?
    public var returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure?

    public init(
        tableName: String,
        key: DynamoDBItem,
        conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: DynamoDBItem = [:],
        returnValues: ReturnValues? = nil,
        returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure? = nil
    ) {
        self.tableName = tableName
        self.key = key
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
    }

    /// The fields a TransactWriteItems `Delete` action shares with DeleteItem.
    var actionBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("Key", item: key)
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

public struct DeleteItemOutput: Sendable, Hashable {
    /// The deleted item, when `returnValues` is `.allOld` and there was one.
    public var attributes: DynamoDBItem?
}

extension DynamoDBClient {
    @discardableResult
    public func deleteItem(_ input: DeleteItemInput) async throws -> DeleteItemOutput {
        let response = try await invoke(
            .deleteItem, table: input.tableName, body: input.requestBody.json,
            writeCost: { [input.tableName: input.writeCapacityUnits] })
        return DeleteItemOutput(attributes: try response.item("Attributes"))
    }
}
