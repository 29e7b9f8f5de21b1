import Apply
import Foundation
import Shared
import Testing

/// `--table-definitions`: CREATE_IF_MISSING and DROP_AND_CREATE create a table as its CreateTable request in the
/// file says — key, indexes with their projections, provisioned throughput, TTL — and DescribeTable /
/// DescribeTimeToLive on the local endpoint report exactly that.
@Suite("Apply creates tables as --table-definitions says")
struct ApplyTableDefinitionsTests {
    @Test(arguments: [ApplyOptions.TargetTablePrep.createIfMissing, .dropAndCreate])
    func theCreatedTableMatchesItsDefinition(prep: ApplyOptions.TargetTablePrep) async throws {
        let topic = try await ApplyTestTopic("definitions_\(prep == .createIfMissing ? "create" : "drop")")
        defer { Task { await topic.dropTable() } }
        let definitions = try TableDefinitions.parse(Array("""
            [{"TableName": "\(topic.targetTable)", "BillingMode": "PROVISIONED",
              "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 40},
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "N"},
                                       {"AttributeName": "name", "AttributeType": "S"},
                                       {"AttributeName": "note", "AttributeType": "S"}],
              "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
              "GlobalSecondaryIndexes": [
                {"IndexName": "by-name", "KeySchema": [{"AttributeName": "name", "KeyType": "HASH"},
                                                       {"AttributeName": "note", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount"]},
                 "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 10}},
                {"IndexName": "by-note", "KeySchema": [{"AttributeName": "note", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "KEYS_ONLY"},
                 "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
              "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": true}}]
            """.utf8))
        let expected = try #require(definitions[topic.targetTable])

        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "first"), lsn: 100)])
        var options = try topic.options()
        options.targetTablePrep = prep
        options.tableDefinitions = definitions
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }
        #expect(try await topic.items { $0.count == 1 }.map(ApplyTestTopic.id(of:)) == [1])

        let table = try await topic.client.describeTable(topic.targetTable)
        #expect(table.keySchema == expected.createTable.keySchema)
        #expect(Set(table.attributeDefinitions) == Set(expected.createTable.attributeDefinitions))
        #expect(table.provisionedThroughput == ProvisionedThroughput(readCapacityUnits: 5, writeCapacityUnits: 40))
        #expect(table.billingMode ?? "PROVISIONED" == "PROVISIONED")
        let indexes = table.globalSecondaryIndexes.sorted { $0.indexName < $1.indexName }
        #expect(indexes.map(\.indexName) == ["by-name", "by-note"])
        for (index, definition) in zip(indexes, expected.createTable.globalSecondaryIndexes) {
            #expect(index.keySchema == definition.keySchema, "\(index.indexName)")
            #expect(index.projection == definition.projection, "\(index.indexName)")
            #expect(index.provisionedThroughput == definition.provisionedThroughput, "\(index.indexName)")
        }
        #expect(try await topic.client.timeToLiveAttribute(table: topic.targetTable) == "expires_at")
    }
}
