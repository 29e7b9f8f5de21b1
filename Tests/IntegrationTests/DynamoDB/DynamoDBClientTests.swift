import AWS
import Apply
import Foundation
import Logging
import Testing

// Against the local stack's DynamoDB endpoint (moto_server). Each test creates its own uniquely named table and
// deletes it at the end. Wrong credentials are not tested here: moto accepts any signature; the error decoding
// and the "check the credentials" message are covered by the unit tests.
@Suite("DynamoDB client against the local endpoint")
struct DynamoDBClientTests {
    static let categoryIndex = "ByCategory"

    /// A client configured the standard way from the stack's environment, and a fresh table keyed (pk S, sk N)
    /// with a global secondary index on `category`.
    func withTable(_ body: (DynamoDBClient, String) async throws -> Void) async throws {
        // Refuse to run against anything but an explicitly configured endpoint: never real AWS.
        _ = try TestStack.variable("AWS_ENDPOINT_URL_DYNAMODB")
        let client = DynamoDBClient(configuration: try .fromEnvironment(), logger: TestStack.logger)
        let table = TestStack.uniqueName("ferry_client")
        do {
            try await client.createTable(CreateTableInput(
                tableName: table,
                attributeDefinitions: [
                    AttributeDefinition("pk", .s), AttributeDefinition("sk", .n), AttributeDefinition("category", .s),
                ],
                keySchema: [KeySchemaElement("pk", .hash), KeySchemaElement("sk", .range)],
                globalSecondaryIndexes: [
                    GlobalSecondaryIndex(indexName: Self.categoryIndex, keySchema: [KeySchemaElement("category", .hash)]),
                ]
            ))
            try await client.waitUntilActive(table: table, timeout: .seconds(20))
            try await body(client, table)
        } catch {
            _ = try? await client.deleteTable(table)
            try await client.shutdown()
            throw error
        }
        try await client.deleteTable(table)
        try await client.shutdown()
    }

    func key(_ pk: String, _ sk: Int) -> DynamoDBItem { ["pk": .s(pk), "sk": .n(String(sk))] }

    @Test func createsAndDescribesATableWithAnIndex() async throws {
        try await withTable { client, table in
            let description = try await client.describeTable(table)
            #expect(description.tableName == table)
            #expect(description.isActive)
            #expect(description.keySchema == [KeySchemaElement("pk", .hash), KeySchemaElement("sk", .range)])
            #expect(description.globalSecondaryIndexes.map(\.indexName) == [Self.categoryIndex])
            #expect(description.globalSecondaryIndexes.first?.keySchema == [KeySchemaElement("category", .hash)])
            #expect(description.itemCount == 0)

            let missing = await #expect(throws: DynamoDBError.self) { try await client.describeTable(table + "_missing") }
            #expect(missing?.code == .resourceNotFound)
        }
    }

    @Test func everyAttributeTypeSurvivesAPutGetRoundTrip() async throws {
        try await withTable { client, table in
            var item = key("types", 1)
            item["exactNumber"] = .n("12345678901234567890.123")
            item["negative"] = .n("-0.000000000000000000000000000000000001")
            item["text"] = .s("Zoë — ünïcode ✓")
            item["bytes"] = .b([0, 1, 2, 127, 128, 254, 255])
            item["flag"] = .bool(true)
            item["nothing"] = .null
            item["nested"] = .m([
                "list": .l([.n("1"), .s("two"), .m(["deep": .bool(false)]), .l([])]),
                "empty": .m([:]),
            ])
            item["strings"] = .ss(["a", "b"])
            item["numbers"] = .ns(["1.5", "10"])
            item["binaries"] = .bs([[1], [2, 3]])
            try await client.putItem(PutItemInput(tableName: table, item: item))

            let stored = try #require(
                try await client.getItem(GetItemInput(tableName: table, key: key("types", 1), consistentRead: true)))
            // Sets have no order; compare them as sets and everything else exactly.
            func unordered(_ item: DynamoDBItem) -> DynamoDBItem {
                item.mapValues { value in
                    switch value {
                    case .ss(let strings): .ss(strings.sorted())
                    case .ns(let numbers): .ns(numbers.sorted())
                    case .bs(let binaries): .bs(binaries.sorted { $0.lexicographicallyPrecedes($1) })
                    default: value
                    }
                }
            }
            #expect(unordered(stored) == unordered(item))
            #expect(try await client.getItem(GetItemInput(tableName: table, key: key("types", 2))) == nil)
        }
    }

    @Test func aFailedConditionLeavesTheItemUnchanged() async throws {
        try await withTable { client, table in
            func versionedPut(_ version: Int, payload: String) -> PutItemInput {
                var item = key("cond", 1)
                item["version"] = .n(String(version))
                item["payload"] = .s(payload)
                return PutItemInput(
                    tableName: table, item: item,
                    conditionExpression: "attribute_not_exists(#v) OR #v < :v",
                    expressionAttributeNames: ["#v": "version"],
                    expressionAttributeValues: [":v": .n(String(version))],
                    returnValuesOnConditionCheckFailure: .allOld
                )
            }
            try await client.putItem(versionedPut(2, payload: "newer"))
            let error = await #expect(throws: DynamoDBError.self) {
                try await client.putItem(versionedPut(1, payload: "stale"))
            }
            #expect(error?.isConditionalCheckFailed == true)
            #expect(error?.isRetryable == false)
            #expect(error?.table == table)

            let stored = try await client.getItem(GetItemInput(tableName: table, key: key("cond", 1), consistentRead: true))
            #expect(stored?["payload"] == .s("newer"))
            #expect(stored?["version"] == .n("2"))
        }
    }

    @Test func updateAndDeleteWithExpressions() async throws {
        try await withTable { client, table in
            try await client.putItem(PutItemInput(tableName: table, item: key("upd", 1).merging(["count": .n("1"), "old": .s("x")]) { $1 }))
            let updated = try await client.updateItem(UpdateItemInput(
                tableName: table, key: key("upd", 1),
                updateExpression: "SET #n = :name ADD #c :one REMOVE #o",
                conditionExpression: "attribute_exists(pk)",
                expressionAttributeNames: ["#n": "name", "#c": "count", "#o": "old"],
                expressionAttributeValues: [":name": .s("renamed"), ":one": .n("1")],
                returnValues: .allNew
            ))
            #expect(updated.attributes == key("upd", 1).merging(["count": .n("2"), "name": .s("renamed")]) { $1 })

            let deleted = try await client.deleteItem(DeleteItemInput(
                tableName: table, key: key("upd", 1), conditionExpression: "attribute_exists(pk)", returnValues: .allOld))
            #expect(deleted.attributes?["name"] == .s("renamed"))
            #expect(try await client.getItem(GetItemInput(tableName: table, key: key("upd", 1), consistentRead: true)) == nil)

            let again = await #expect(throws: DynamoDBError.self) {
                try await client.deleteItem(DeleteItemInput(
                    tableName: table, key: key("upd", 1), conditionExpression: "attribute_exists(pk)"))
            }
            #expect(again?.isConditionalCheckFailed == true)
        }
    }

    @Test func batchWriteAllThenScanAndQuery() async throws {
        try await withTable { client, table in
            let writes = (0..<120).map { index in
                WriteRequest.put(item: key("p\(index % 4)", index).merging([
                    "category": .s("c\(index % 3)"), "payload": .s(String(repeating: "x", count: 100)),
                ]) { $1 })
            }
            try await client.batchWriteAll(table: table, writes)

            // A small page size makes the scan follow LastEvaluatedKey several times.
            let scanned = try await client.scanAll(ScanInput(tableName: table, limit: 25))
            #expect(scanned.count == 120)
            #expect(Set(scanned.compactMap { $0["sk"] }).count == 120)

            let partition = try await client.query(QueryInput(
                tableName: table,
                keyConditionExpression: "pk = :pk AND sk < :limit",
                expressionAttributeValues: [":pk": .s("p1"), ":limit": .n("50")],
                consistentRead: true, scanIndexForward: false
            ))
            let expectedSortKeys = stride(from: 1, to: 50, by: 4).reversed().map { DynamoDBAttributeValue.n(String($0)) }
            #expect(partition.items.compactMap { $0["sk"] } == Array(expectedSortKeys))
            #expect(partition.lastEvaluatedKey == nil)

            let byCategory = try await client.query(QueryInput(
                tableName: table, indexName: Self.categoryIndex,
                keyConditionExpression: "category = :c", expressionAttributeValues: [":c": .s("c2")]
            ))
            #expect(byCategory.items.count == 40)
            #expect(byCategory.items.allSatisfy { $0["category"] == .s("c2") })

            try await client.batchWriteAll(table: table, (0..<30).map { WriteRequest.delete(key: key("p\($0 % 4)", $0)) })
            #expect(try await client.scanAll(ScanInput(tableName: table)).count == 90)
        }
    }

    @Test func transactWriteItemsIsAllOrNothing() async throws {
        try await withTable { client, table in
            try await client.transactWriteItems([
                .put(PutItemInput(tableName: table, item: key("tx", 1).merging(["v": .n("1")]) { $1 })),
                .put(PutItemInput(tableName: table, item: key("tx", 2).merging(["v": .n("1")]) { $1 })),
            ])
            #expect(try await client.scanAll(ScanInput(tableName: table, consistentRead: true)).count == 2)

            let error = await #expect(throws: DynamoDBError.self) {
                try await client.transactWriteItems([
                    .update(UpdateItemInput(
                        tableName: table, key: key("tx", 1), updateExpression: "SET v = :two",
                        expressionAttributeValues: [":two": .n("2")])),
                    .conditionCheck(ConditionCheck(
                        tableName: table, key: key("tx", 2), conditionExpression: "v = :nine",
                        expressionAttributeValues: [":nine": .n("9")])),
                ])
            }
            #expect(error?.code == .transactionCanceled)
            #expect(error?.cancellationReasons.map(\.code) == ["None", "ConditionalCheckFailed"])
            let first = try await client.getItem(GetItemInput(tableName: table, key: key("tx", 1), consistentRead: true))
            #expect(first?["v"] == .n("1"))
        }
    }

    @Test func aRefusedConnectionIsARetryableTransportError() async throws {
        var configuration = try DynamoDBClientConfiguration.fromEnvironment()
        configuration.endpoint = try AWSEndpoint(url: "http://127.0.0.1:1")
        configuration.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1))
        let client = DynamoDBClient(configuration: configuration, logger: TestStack.logger)
        let error = await #expect(throws: DynamoDBError.self) { try await client.describeTable("anything") }
        try await client.shutdown()
        guard case .transport(let transportError)? = error?.failure else {
            Issue.record("expected a transport failure, got \(String(describing: error))")
            return
        }
        #expect(transportError.kind == .connectionFailed)
        #expect(error?.isRetryable == true)
    }
}
