import Shared
import Testing

@testable import Apply

@Suite("DynamoDB client retries")
struct DynamoDBClientRetryTests {
    let put = PutItemInput(tableName: "T", item: ["Id": .s("a")])

    @Test func retriesServerErrorsAndSignsEveryAttemptAfresh() async throws {
        let transport = ScriptedTransport([
            .respond(status: 500, body: errorBody("InternalServerError")),
            .fail(.connectionLost),
            .respond(status: 200, body: "{}"),
        ])
        let sleeps = RecordedSleeps()
        let client = try makeTestClient(transport: transport, sleeps: sleeps)
        try await client.putItem(put)

        let requests = await transport.requests
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0.header("X-Amz-Date") }).count == 3)
        #expect(Set(requests.compactMap { $0.header("Authorization") }).count == 3)
        #expect(Set(requests.map(\.body)).count == 1)
        // Full jitter with the random source fixed at 0.5: half of 100 ms, then half of 200 ms.
        #expect(sleeps.delays == [.milliseconds(50), .milliseconds(100)])
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastError() async throws {
        let transport = ScriptedTransport([], fallback: .respond(status: 400, body: errorBody("ThrottlingException")))
        let client = try makeTestClient(transport: transport, maxAttempts: 3)
        let error = try await #require(throws: DynamoDBError.self) { try await client.putItem(put) }
        #expect(error.code == .throttling)
        #expect(error.table == "T")
        #expect(await transport.requests.count == 3)
    }

    @Test(arguments: ["ConditionalCheckFailedException", "ValidationException", "UnrecognizedClientException"])
    func doesNotRetryPermanentErrors(code: String) async throws {
        let transport = ScriptedTransport([], fallback: .respond(status: 400, body: errorBody(code)))
        let client = try makeTestClient(transport: transport)
        let error = try await #require(throws: DynamoDBError.self) { try await client.putItem(put) }
        #expect(error.code?.rawValue == code)
        #expect(await transport.requests.count == 1)
    }

    @Test func batchWriteAllSplitsIntoTwentyFivesAndResendsUnprocessedItems() async throws {
        let unprocessed = #"{"UnprocessedItems":{"T":[{"PutRequest":{"Item":{"Id":{"N":"3"}}}},"#
            + #"{"DeleteRequest":{"Key":{"Id":{"N":"4"}}}}]}}"#
        let transport = ScriptedTransport([.respond(status: 200, body: unprocessed)],
                                          fallback: .respond(status: 200, body: #"{"UnprocessedItems":{}}"#))
        let sleeps = RecordedSleeps()
        let client = try makeTestClient(transport: transport, sleeps: sleeps)
        let writes = (0..<60).map { WriteRequest.put(item: ["Id": .n(String($0))]) }
        try await client.batchWriteAll(table: "T", writes)

        let sent = try await transport.requests.map { request -> [WriteRequest] in
            guard case .object(let body) = try JSONParser.parse(request.body),
                  case .object(let items)? = body["RequestItems"], case .array(let requests)? = items["T"]
            else { return [] }
            return requests.compactMap(WriteRequest.init(json:))
        }
        #expect(sent.map(\.count) == [25, 2, 25, 10])
        #expect(sent[1] == [.put(item: ["Id": .n("3")]), .delete(key: ["Id": .n("4")])])
        #expect(sleeps.delays == [.milliseconds(50)])
    }

    @Test func batchWriteAllReportsWhatItCouldNotWrite() async throws {
        let stuck = #"{"UnprocessedItems":{"T":[{"PutRequest":{"Item":{"Id":{"N":"0"}}}}]}}"#
        let transport = ScriptedTransport([], fallback: .respond(status: 200, body: stuck))
        let client = try makeTestClient(transport: transport, maxAttempts: 3)
        let writes = (0..<30).map { WriteRequest.put(item: ["Id": .n(String($0))]) }
        let error = try await #require(throws: DynamoDBError.self) { try await client.batchWriteAll(table: "T", writes) }
        guard case .unprocessedItems(let remaining) = error.failure else {
            Issue.record("unexpected failure \(error)")
            return
        }
        // The stuck item plus the 5 of the second chunk that were never sent.
        #expect(remaining["T"]?.count == 6)
        #expect(await transport.requests.count == 3)
    }

    @Test func scanAllFollowsLastEvaluatedKey() async throws {
        let transport = ScriptedTransport([
            .respond(status: 200, body: #"{"Items":[{"Id":{"N":"1"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"Id":{"N":"1"}}}"#),
            .respond(status: 200, body: #"{"Items":[{"Id":{"N":"2"}}],"Count":1,"ScannedCount":1}"#),
        ])
        let client = try makeTestClient(transport: transport)
        let items = try await client.scanAll(ScanInput(tableName: "T"))
        #expect(items == [["Id": .n("1")], ["Id": .n("2")]])
        let second = try #require(await transport.requests.last)
        #expect(String(decoding: second.body, as: UTF8.self)
            == #"{"TableName":"T","ExclusiveStartKey":{"Id":{"N":"1"}}}"#)
    }

    @Test func describeTableReadsKeysIndexesStatusAndCount() async throws {
        let body = #"""
            {"Table":{"TableName":"Payments","TableStatus":"ACTIVE","ItemCount":12,
             "TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/Payments",
             "BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},
             "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"app","AttributeType":"N"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
             "GlobalSecondaryIndexes":[{"IndexName":"ByApp","IndexStatus":"CREATING",
               "KeySchema":[{"AttributeName":"app","KeyType":"HASH"}],
               "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["amount"]}}]}}
            """#
        let client = try makeTestClient(transport: ScriptedTransport([.respond(status: 200, body: body)]))
        let table = try await client.describeTable("Payments")
        #expect(table.tableName == "Payments")
        #expect(table.keySchema.partitionKeyName == "pk")
        #expect(table.keySchema.sortKeyName == "sk")
        #expect(table.attributeDefinitions == [AttributeDefinition("pk", .s), AttributeDefinition("app", .n)])
        #expect(table.itemCount == 12)
        #expect(table.billingMode == "PAY_PER_REQUEST")
        #expect(table.globalSecondaryIndexes.first?.projection == .include(["amount"]))
        #expect(!table.isActive, "an index is still being created")
    }

    @Test func malformedSuccessBodiesAreReported() async throws {
        let client = try makeTestClient(transport: ScriptedTransport([.respond(status: 200, body: #"{"Item":{"x":{"Q":"1"}}}"#)]))
        let error = try await #require(throws: DynamoDBError.self) {
            try await client.getItem(GetItemInput(tableName: "T", key: ["Id": .s("a")]))
        }
        guard case .malformedResponse(200, let reason) = error.failure else {
            Issue.record("unexpected failure \(error)")
            return
        }
        #expect(reason.contains("unknown type descriptor"))
    }
}
