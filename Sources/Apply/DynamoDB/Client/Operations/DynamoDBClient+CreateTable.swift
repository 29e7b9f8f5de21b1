import Shared

/// How a table's capacity is paid for.
public enum BillingMode: Sendable, Hashable {
    /// On-demand (PAY_PER_REQUEST), the mode Ferry creates target tables in unless told otherwise: no capacity to
    /// guess, and a bulk load is not throttled by provisioned throughput.
    case payPerRequest
    /// PROVISIONED: the table's own read and write capacity (each GSI has its own, `GlobalSecondaryIndex`).
    case provisioned(ProvisionedThroughput)
}

/// Read and write capacity units per second of a provisioned table or index.
public struct ProvisionedThroughput: Sendable, Hashable {
    public var readCapacityUnits: Int
    public var writeCapacityUnits: Int

    public init(readCapacityUnits: Int, writeCapacityUnits: Int) {
        self.readCapacityUnits = readCapacityUnits
        self.writeCapacityUnits = writeCapacityUnits
    }

    var json: JSONValue {
        ["ReadCapacityUnits": .number("\(readCapacityUnits)"), "WriteCapacityUnits": .number("\(writeCapacityUnits)")]
    }
}

public struct CreateTableInput: Sendable, Hashable {
    public var tableName: String
    /// Every attribute used in the table's or an index's key, with its type.
    public var attributeDefinitions: [AttributeDefinition]
    public var keySchema: [KeySchemaElement]
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]
    public var billingMode: BillingMode

    public init(
        tableName: String,
        attributeDefinitions: [AttributeDefinition],
        keySchema: [KeySchemaElement],
        globalSecondaryIndexes: [GlobalSecondaryIndex] = [],
        billingMode: BillingMode = .payPerRequest
    ) {
        self.tableName = tableName
        self.attributeDefinitions = attributeDefinitions
        self.keySchema = keySchema
        self.globalSecondaryIndexes = globalSecondaryIndexes
        self.billingMode = billingMode
    }

    var requestBody: DynamoDBRequestBody {
        var body = DynamoDBRequestBody()
        body.add("TableName", tableName)
        body.add("AttributeDefinitions", .array(attributeDefinitions.map(\.json)))
        body.add("KeySchema", .array(keySchema.map(\.json)))
        if !globalSecondaryIndexes.isEmpty {
            body.add("GlobalSecondaryIndexes", .array(globalSecondaryIndexes.map(\.json)))
        }
        switch billingMode {
        case .payPerRequest:
            body.add("BillingMode", "PAY_PER_REQUEST")
        case .provisioned(let throughput):
            body.add("BillingMode", "PROVISIONED")
            body.add("ProvisionedThroughput", throughput.json)
        }
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
