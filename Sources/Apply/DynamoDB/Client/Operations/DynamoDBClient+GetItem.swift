/// GetItem: reads one item by key.
public struct GetItemInput: Sendable, Hashable {
    public var tableName: String
    public var key: DynamoDBItem
    /// Read the latest committed write rather than a possibly stale replica.
    public var consistentRead: Bool
    public var projectionExpression: String?
    public var expressionAttributeNames: [String: String]

    public init(
        tableName: String,
        key: DynamoDBItem,
        consistentRead: Bool = false,
        projectionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:]
    ) {
        self.tableName = tableName
        self.key = key
        self.consistentRead = consistentRead
        self.projectionExpression = projectionExpression
        self.expressionAttributeNames = expressionAttributeNames
    }

    var requestBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("Key", item: key)
        body.add("ConsistentRead", consistentRead ? true : nil)
        body.add("ProjectionExpression", projectionExpression)
        body.addExpressionAttributes(names: expressionAttributeNames, values: [:])
        return body
    }
}

extension DynamoDBClient {
    /// The item, or nil when there is none with that key.
    public func getItem(_ input: GetItemInput) async throws -> DynamoDBItem? {
        let response = try await invoke(.getItem, table: input.tableName, body: input.requestBody.json)
        return try response.item("Item")
    }
}
