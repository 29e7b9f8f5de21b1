/// What DescribeTable (and CreateTable, DeleteTable) report about a table.
public struct TableDescription: Sendable, Hashable {
    public struct Index: Sendable, Hashable {
        public var indexName: String
        public var keySchema: [KeySchemaElement]
        public var projection: Projection?
        /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`.
        public var status: String?
        /// The index's capacity when the table is provisioned.
        public var provisionedThroughput: ProvisionedThroughput?
    }

    public var tableName: String
    /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`, …
    public var status: String
    public var keySchema: [KeySchemaElement]
    public var attributeDefinitions: [AttributeDefinition]
    public var globalSecondaryIndexes: [Index]
    /// DynamoDB's estimate, refreshed about every six hours; not a count.
    public var itemCount: Int?
    public var tableArn: String?
    public var billingMode: String?
    /// The table's capacity when it is provisioned (nil on demand, where DynamoDB reports zeros).
    public var provisionedThroughput: ProvisionedThroughput?

    public var isActive: Bool {
        status == "ACTIVE" && globalSecondaryIndexes.allSatisfy { $0.status == nil || $0.status == "ACTIVE" }
    }

    init(_ response: DynamoDBResponse) throws(DynamoDBError) {
        guard let name = response.string("TableName"), let status = response.string("TableStatus") else {
            throw response.malformed("table description without TableName or TableStatus")
        }
        tableName = name
        self.status = status
        keySchema = Self.keySchema(response.array("KeySchema"))
        attributeDefinitions = response.array("AttributeDefinitions").compactMap { definition in
            guard let name = definition.string("AttributeName"),
                  let type = definition.string("AttributeType").flatMap(ScalarAttributeType.init(rawValue:))
            else { return nil }
            return AttributeDefinition(name, type)
        }
        globalSecondaryIndexes = response.array("GlobalSecondaryIndexes").compactMap { index in
            guard let name = index.string("IndexName") else { return nil }
            return Index(
                indexName: name,
                keySchema: Self.keySchema(index.array("KeySchema")),
                projection: index.nested("Projection").flatMap(Projection.init(json:)),
                status: index.string("IndexStatus"),
                provisionedThroughput: Self.throughput(index.nested("ProvisionedThroughput"))
            )
        }
        itemCount = response.int("ItemCount")
        tableArn = response.string("TableArn")
        billingMode = response.nested("BillingModeSummary")?.string("BillingMode")
        provisionedThroughput = Self.throughput(response.nested("ProvisionedThroughput"))
    }

    private static func throughput(_ response: DynamoDBResponse?) -> ProvisionedThroughput? {
        guard let response, let read = response.int("ReadCapacityUnits"), let write = response.int("WriteCapacityUnits"),
            read > 0 || write > 0
        else { return nil }
        return ProvisionedThroughput(readCapacityUnits: read, writeCapacityUnits: write)
    }

    private static func keySchema(_ elements: [DynamoDBResponse]) -> [KeySchemaElement] {
        elements.compactMap { element in
            guard let name = element.string("AttributeName"),
                  let type = element.string("KeyType").flatMap(KeyType.init(rawValue:))
            else { return nil }
            return KeySchemaElement(name, type)
        }
    }
}
