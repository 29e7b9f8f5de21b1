import Shared

/// One action of a TransactWriteItems call. `returnValues` of the inputs is not part of a transaction and ignored.
public enum TransactWriteItem: Sendable, Hashable {
    case put(PutItemInput)
    case update(UpdateItemInput)
    case delete(DeleteItemInput)
    /// A condition on an item the transaction does not write.
    case conditionCheck(ConditionCheck)

    var json: JSONValue {
        switch self {
        case .put(let input): ["Put": input.actionBody.json]
        case .update(let input): ["Update": input.actionBody.json]
        case .delete(let input): ["Delete": input.actionBody.json]
        case .conditionCheck(let check): ["ConditionCheck": check.actionBody.json]
        }
    }

    var tableName: String {
        switch self {
        case .put(let input): input.tableName
        case .update(let input): input.tableName
        case .delete(let input): input.tableName
        case .conditionCheck(let check): check.tableName
        }
    }
}

public struct ConditionCheck: Sendable, Hashable {
    public var tableName: String
    public var key: DynamoDBItem
    public var conditionExpression: String
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: DynamoDBItem
    public var returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure?

    public init(
        tableName: String,
        key: DynamoDBItem,
        conditionExpression: String,
        expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: DynamoDBItem = [:],
        returnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure? = nil
    ) {
        self.tableName = tableName
        self.key = key
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
    }

    var actionBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("Key", item: key)
        body.addCondition(
            conditionExpression, names: expressionAttributeNames, values: expressionAttributeValues,
            returnValuesOnFailure: returnValuesOnConditionCheckFailure)
        return body
    }
}

extension DynamoDBClient {
    /// Applies all actions or none (up to 100 actions, distinct items). A failed condition cancels the whole
    /// transaction: the `DynamoDBError` is `TransactionCanceledException` with one `cancellationReasons` entry
    /// per action.
    /// `clientRequestToken` makes retries of the same transaction idempotent for ten minutes.
    public func transactWriteItems(_ items: [TransactWriteItem], clientRequestToken: String? = nil) async throws {
        var body = DynamoDBRequestBody()
        body.add("TransactItems", .array(items.map(\.json)))
        body.add("ClientRequestToken", clientRequestToken)
        let tables = Set(items.map(\.tableName))
        _ = try await invoke(
            .transactWriteItems, table: tables.count == 1 ? tables.first : nil, body: body.json,
            writeCost: { items.writeCapacityCost(table: \.tableName, units: \.writeCapacityUnits) })
    }
}
