/// PutItem: writes a whole item, optionally only if a condition on the stored item holds.
public struct PutItemInput: Sendable, Hashable {
    public var tableName: String
    public var item: DynamoDBItem
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: DynamoDBItem
    /// Ignored inside a transaction.
    public var returnValues: ReturnValues?
    public var returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure?

    public init(
        tableName: String,
        item: DynamoDBItem,
        conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: DynamoDBItem = [:],
        returnValues: ReturnValues? = nil,
        returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure? = nil
    ) {
        self.tableName = tableName
        self.item = item
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
    }

    /// The fields a TransactWriteItems `Put` action shares with PutItem.
    var actionBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("Item", item: item)
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

public struct PutItemOutput: Sendable, Hashable {
    /// The replaced item, when `returnValues` asked for it and there was one.
    public var attributes: DynamoDBItem?
}

extension DynamoDBClient {
    /// A failed condition throws a `DynamoDBError` whose `isConditionalCheckFailed` is true.
    @discardableResult
    public func putItem(_ input: PutItemInput) async throws -> PutItemOutput {
        let response = try await invoke(
            .putItem, table: input.tableName, body: input.requestBody.json,
            writeCost: { [input.tableName: input.writeCapacityUnits] })
        return PutItemOutput(attributes: try response.item("Attributes"))
    }
}
