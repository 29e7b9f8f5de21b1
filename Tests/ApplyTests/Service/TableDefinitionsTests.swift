import Foundation
import Testing

@testable import Apply

@Suite("--table-definitions: CreateTable requests")
struct TableDefinitionsTests {
    static let loanApp = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/loanapp/dynamodb-tables.json")

    func parse(_ text: String) throws(TableDefinitionsError) -> TableDefinitions {
        try TableDefinitions.parse(Array(text.utf8))
    }

    /// The error `text` fails with.
    func failure(_ text: String) -> TableDefinitionsError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheLoanAppTablesWithTheirIndexes() throws {
        let definitions = try TableDefinitions.parse(Array(try Data(contentsOf: Self.loanApp)))
        let logs = try #require(definitions["LoanApp-IntegrationLogs-dev"]).createTable
        #expect(logs.keySchema == [KeySchemaElement("PK", .hash), KeySchemaElement("SK", .range)])
        #expect(logs.globalSecondaryIndexes.map(\.indexName) == [
            "GSI1-ApplicationId-LogTimestamp", "GSI2-CorrelationId-LogTimestamp", "GSI3-ErrorStatus-LogTimestamp",
        ])
        #expect(logs.globalSecondaryIndexes[0].keySchema == [
            KeySchemaElement("ApplicationId", .hash), KeySchemaElement("LogTimestamp", .range),
        ])
        #expect(logs.globalSecondaryIndexes[0].projection
            == .include(["LogType", "ServiceName", "ErrorStatus", "HttpStatus", "Message", "DurationMs"]))
        #expect(logs.globalSecondaryIndexes[2].projection == .all)
        #expect(logs.attributeDefinitions.contains(AttributeDefinition("ApplicationId", .n)))
        let payments = try #require(definitions["LoanApp-Payments-dev"])
        #expect(payments.createTable.keySchema == [KeySchemaElement("PaymentId", .hash)])
        #expect(payments.timeToLiveAttribute == nil)
    }

    @Test func readsProvisionedThroughputIndexesAndTimeToLive() throws {
        let definitions = try parse("""
            [{"TableName": "orders", "BillingMode": "PROVISIONED",
              "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 40},
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "N"},
                                       {"AttributeName": "customer", "AttributeType": "S"}],
              "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "GlobalSecondaryIndexes": [{"IndexName": "by-customer",
                "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 10}}],
              "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": true}}]
            """)
        let orders = try #require(definitions["orders"])
        #expect(orders.createTable.billingMode == .provisioned(ProvisionedThroughput(readCapacityUnits: 5, writeCapacityUnits: 40)))
        #expect(orders.createTable.globalSecondaryIndexes == [
            GlobalSecondaryIndex(
                indexName: "by-customer", keySchema: [KeySchemaElement("customer", .hash)], projection: .keysOnly,
                provisionedThroughput: ProvisionedThroughput(readCapacityUnits: 2, writeCapacityUnits: 10)),
        ])
        #expect(orders.timeToLiveAttribute == "ttl")
        // A backfill's suffixed table is made like the live one.
        #expect(definitions.definition(of: "orders_v2", suffix: "_v2")?.createTable.tableName == "orders_v2")
        #expect(definitions.definition(of: "orders_v2", suffix: "") == nil)
    }

    static let key = #""AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]"#

    @Test(arguments: [
        // CreateTable's default billing is PROVISIONED, which needs throughput.
        (#"[{"TableName": "t", \#(key)}]"#, "t", "ProvisionedThroughput", "is missing"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}, \#(key)}]"#,
         "t", "ProvisionedThroughput", "PAY_PER_REQUEST"),
        (#"[{"TableName": "t", "BillingMode": "ON_DEMAND", \#(key)}]"#, "t", "BillingMode", "must be one of"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "LocalSecondaryIndexes": [], \#(key)}]"#,
         "t", "LocalSecondaryIndexes", "not supported"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}]"#,
         "t", "KeySchema[0].AttributeName", "no entry in AttributeDefinitions"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "x", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}]"#,
         "t", "AttributeDefinitions[1]", "in no key"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "STRING"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}]"#,
         "t", "AttributeDefinitions[0].AttributeType", "must be one of B, N, S"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "RANGE"}]}]"#,
         "t", "KeySchema[0].KeyType", "must be HASH"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "GlobalSecondaryIndexes": [{"IndexName": "i", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "Projection": {"ProjectionType": "INCLUDE"}}]}]"#,
         "t", "GlobalSecondaryIndexes[0].Projection.NonKeyAttributes", "INCLUDE"),
        (#"[{"TableName": "t", "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 0}, \#(key)}]"#,
         "t", "ProvisionedThroughput.WriteCapacityUnits", "at least 1"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "TimeToLiveSpecification": {"AttributeName": "ttl"}, \#(key)}]"#,
         "t", "TimeToLiveSpecification.Enabled", "true or false"),
        (#"[{"BillingMode": "PAY_PER_REQUEST", \#(key)}]"#, "#1", "TableName", "is missing"),
        (#"[{"TableName": "t", "BillingMode": "PAY_PER_REQUEST", \#(key)}, {"TableName": "t", "BillingMode": "PAY_PER_REQUEST", \#(key)}]"#,
         "t", "TableName", "twice"),
    ])
    func aBadDefinitionNamesItsTableAndField(document: String, table: String, field: String, problem: String) throws {
        let error = try #require(failure(document))
        #expect(error.table == table)
        #expect(error.field == field)
        #expect(error.problem.contains(problem), "\(error)")
        #expect(error.description.contains("table \(table), field \(field)"))
    }

    @Test func theDocumentMustBeAnArray() {
        #expect(failure(#"{"TableName": "t"}"#)?.problem.contains("array") == true)
        #expect(failure("[").map(\.problem) == "not valid JSON")
    }

    @Test func theRequestBodyCarriesBillingAndThroughput() {
        let input = CreateTableInput(
            tableName: "t", attributeDefinitions: [AttributeDefinition("id", .s)], keySchema: [KeySchemaElement("id", .hash)],
            billingMode: .provisioned(ProvisionedThroughput(readCapacityUnits: 3, writeCapacityUnits: 7)))
        let body = String(decoding: input.requestBody.json.jsonBytes, as: UTF8.self)
        #expect(body.contains(#""BillingMode":"PROVISIONED""#))
        #expect(body.contains(#""ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":7}"#))
        let onDemand = CreateTableInput(
            tableName: "t", attributeDefinitions: [AttributeDefinition("id", .s)], keySchema: [KeySchemaElement("id", .hash)])
        #expect(String(decoding: onDemand.requestBody.json.jsonBytes, as: UTF8.self).contains(#""BillingMode":"PAY_PER_REQUEST""#))
    }
}
