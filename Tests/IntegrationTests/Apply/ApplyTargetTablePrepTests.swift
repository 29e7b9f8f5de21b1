import Apply
import Foundation
import Shared
import Testing

@Suite("Apply target table prep")
struct ApplyTargetTablePrepTests {
    @Test func dropAndCreateReplacesTheTableForANewGroupOnly() async throws {
        let topic = try await ApplyTestTopic("drop")
        defer { Task { await topic.dropTable() } }
        try await topic.client.createTable(
            CreateTableInput(tableName: topic.targetTable, attributeDefinitions: [AttributeDefinition("id", .n)],
                             keySchema: [KeySchemaElement("id", .hash)]))
        try await topic.client.waitUntilActive(table: topic.targetTable)
        try await topic.client.putItem(PutItemInput(tableName: topic.targetTable, item: ["id": .n("99"), "stale": .bool(true)]))

        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "fresh"), lsn: 100)])
        let group = TestStack.uniqueName("g")
        var options = try topic.options(group: group)
        options.targetTablePrep = .dropAndCreate
        let first = topic.startApply(options)
        #expect(try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [1] }.map(ApplyTestTopic.id(of:)) == [1])
        first.task.cancel()
        _ = try? await first.task.value

        // The same group again: it has committed offsets, so the table (and an item written meanwhile) stays.
        try await topic.client.putItem(PutItemInput(tableName: topic.targetTable, item: ["id": .n("98")]))
        try await topic.produce([topic.record(.create, id: 2, after: row(2, name: "later"), lsn: 200)])
        let second = topic.startApply(options)
        defer { second.task.cancel() }
        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [1, 2, 98] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [1, 2, 98])
    }

    /// A rule naming key attributes the existing table does not have stops apply before it reads a record,
    /// naming the rule-id (DO_NOTHING: the table is used as it is).
    @Test func aKeyMismatchWithTheExistingTableFailsAtStartUpNamingTheRule() async throws {
        let topic = try await ApplyTestTopic("keycheck")
        defer { Task { await topic.dropTable() } }
        try await topic.client.createTable(
            CreateTableInput(tableName: topic.targetTable, attributeDefinitions: [AttributeDefinition("PK", .s)],
                             keySchema: [KeySchemaElement("PK", .hash)]))
        try await topic.client.waitUntilActive(table: topic.targetTable)
        var options = try topic.options()  // the mapping's rule 2 says partition-key-name "id"
        options.targetTablePrep = .doNothing
        let apply = topic.startApply(options)
        let failure = await #expect(throws: MappingConfigurationError.self) { try await apply.task.value }
        #expect(failure == .keySchemaMismatch(ruleId: "2", mapped: ["id"], tableKeys: ["PK"]))
        #expect(failure?.description == #"rule-id 2 maps key attributes ["id"] but the DynamoDB table's key schema is ["PK"]"#)
    }
}
