import Shared

/// CreateTable with on-demand (PAY_PER_REQUEST) billing, the mode Ferry creates target tables in: no capacity
/// to guess, and a bulk load is not throttled by provisioned throughput.
public struct CreateTableInput: Sendable, Hashable {
    public var tableName: String
    /// Every attribute used in the table's or an index's key, with its type.
    public var attributeDefinitions: [AttributeDefinition]
    public var keySchema: [KeySchemaElement]
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]

    public init(
        tableName: String,
        attributeDefinitions: [AttributeDefinition],
        keySchema: [KeySchemaElement],
        globalSecondaryIndexes: [GlobalSecondaryIndex] = []
    ) {
        self.tableName = tableName
        self.attributeDefinitions = attributeDefinitions
        self.keySchema = keySchema
        self.globalSecondaryIndexes = globalSecondaryIndexes
    }

    var requestBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("AttributeDefinitions", .array(attributeDefinitions.map(\.json)))
        body.add("KeySchema", .array(keySchema.map(\.json)))
        if !globalSecondaryIndexes.isEmpty {
            body.add("GlobalSecondaryIndexes", .array(globalSecondaryIndexes.map(\.json)))
        }
        body.add("BillingMode", "PAY_PER_REQUEST")
        return body
    }
}

extension DynamoDBClient {
    /// Starts creating the table; it is usable once `waitUntilActive` returns. An existing table throws a
    /// `DynamoDBError` with code `.resourceInUse`.
    @discardableResult
    public func createTable(_ input: CreateTableInput) async throws -> TableDescription {
        let response = try await invoke(.createTable, table: input.tableName, body: input.requestBody.json)
        guard let table = response.nested("TableDescription") else {
            throw response.malformed("no TableDescription in the response")
        }
        return try TableDescription(table)
    }
}
