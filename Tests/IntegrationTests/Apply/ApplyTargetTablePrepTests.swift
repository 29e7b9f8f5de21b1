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

    /// Two members of a new group start together on a two-partition topic with DROP_AND_CREATE: the table is
    /// dropped once (the stale item goes) and no member drops it after another wrote to it (every record's item
    /// is there). The window is made certain rather than likely: both members hold a partition before any record
    /// exists, partition 0's records come first, and partition 1's only once partition 0's items are written —
    /// a member that drops at its first record, whatever the others did, drops them.
    @Test func twoMembersStartingTogetherDropTheTableOnceAndKeepEveryRecord() async throws {
        let topic = try await ApplyTestTopic("dropgroup", partitions: 2)
        defer { Task { await topic.dropTable() } }
        try await topic.client.createTable(
            CreateTableInput(tableName: topic.targetTable, attributeDefinitions: [AttributeDefinition("id", .n)],
                             keySchema: [KeySchemaElement("id", .hash)]))
        try await topic.client.waitUntilActive(table: topic.targetTable)
        try await topic.client.putItem(PutItemInput(tableName: topic.targetTable, item: ["id": .n("999")]))

        let group = TestStack.uniqueName("g")
        var options = try topic.options(group: group)
        options.targetTablePrep = .dropAndCreate
        let first = topic.startApply(options)
        let second = topic.startApply(options)
        defer {
            first.task.cancel()
            second.task.cancel()
        }
        // Each holds one partition (tansu's group description counts no members, so ask the members: the lag
        // they measure, every 10 s, is of the partitions they hold).
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(60))
        var held: [Set<Int32>] = []
        while ContinuousClock.now < deadline {
            held = [first, second].map { Set($0.service.statistics.consumerLagByPartition.keys.map(\.partition)) }
            if held.allSatisfy({ $0.count == 1 }) && held[0] != held[1] { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(held.count == 2 && held.allSatisfy { $0.count == 1 } && held[0] != held[1], "partitions held: \(held)")

        let partition0 = Array(1...20)
        let partition1 = Array(21...40)
        try await topic.produce(
            partition0.map { topic.record(.create, id: $0, after: row($0, name: "p0"), lsn: UInt64(100 + $0)) },
            partition: 0)
        let written = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == partition0 }
        #expect(written.map(ApplyTestTopic.id(of:)) == partition0, "the stale item is dropped, partition 0 applied")
        try await topic.produce(
            partition1.map { topic.record(.create, id: $0, after: row($0, name: "p1"), lsn: UInt64(100 + $0)) },
            partition: 1)
        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == partition0 + partition1 }
        #expect(items.map(ApplyTestTopic.id(of:)) == partition0 + partition1)
        let table = "public.\(topic.sourceTable)"
        let inserts = [first, second].map { $0.service.statistics.tables[table]?.inserts ?? 0 }
        #expect(inserts.allSatisfy { $0 > 0 }, "each member applied one partition: \(inserts)")
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
