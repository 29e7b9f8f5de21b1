/// Query: the items of one partition (of the table or an index), optionally narrowed by sort key and filter.
public struct QueryInput: Sendable, Hashable {
    public var tableName: String
    public var indexName: String?
    /// e.g. `#pk = :pk AND begins_with(#sk, :prefix)`.
    public var keyConditionExpression: String
    public var filterExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: DynamoDBItem
    public var exclusiveStartKey: DynamoDBItem?
    public var limit: Int?
    /// Not available on global secondary indexes.
    public var consistentRead: Bool
    /// False reads in descending sort-key order.
    public var scanIndexForward: Bool

    public init(
        tableName: String,
        indexName: String? = nil,
        keyConditionExpression: String,
        filterExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: DynamoDBItem = [:],
        exclusiveStartKey: DynamoDBItem? = nil,
        limit: Int? = nil,
        consistentRead: Bool = false,
        scanIndexForward: Bool = true
    ) {
        self.tableName = tableName
        self.indexName = indexName
        self.keyConditionExpression = keyConditionExpression
        self.filterExpression = filterExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.exclusiveStartKey = exclusiveStartKey
        self.limit = limit
        self.consistentRead = consistentRead
        self.scanIndexForward = scanIndexForward
    }

    var requestBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("IndexName", indexName)
        body.add("KeyConditionExpression", keyConditionExpression)
        body.add("FilterExpression", filterExpression)
        body.addExpressionAttributes(names: expressionAttributeNames, values: expressionAttributeValues)
        body.add("ExclusiveStartKey", item: exclusiveStartKey)
        body.add("Limit", limit)
        body.add("ConsistentRead", consistentRead ? true : nil)
        body.add("ScanIndexForward", scanIndexForward ? nil : false)
        return body
    }
}

extension DynamoDBClient {
    /// One page of results; see `ItemPage.lastEvaluatedKey` for the next.
    public func query(_ input: QueryInput) async throws -> ItemPage {
        let response = try await invoke(.query, table: input.tableName, body: input.requestBody.json)
        return try ItemPage(response)
    }
}
