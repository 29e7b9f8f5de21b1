import Apply
import Foundation
import Shared
import Testing

@Suite("Apply truncate")
struct ApplyTruncateTests {
    @Test func truncateDeleteRemovesItemsOlderThanTheTruncate() async throws {
        let topic = try await ApplyTestTopic("truncate")
        defer { Task { await topic.dropTable() } }
        var options = try topic.options()
        options.truncateMode = .delete
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }

        try await topic.produce((1...5).map { id in topic.record(.create, id: id, after: row(id, name: "before"), lsn: UInt64(100 + id)) })
        #expect(try await topic.items { $0.count == 5 }.count == 5)

        var truncate = topic.record(.truncate, id: 0, lsn: 200)
        truncate.key = nil
        truncate.before = nil
        try await topic.produce([truncate, topic.record(.create, id: 9, after: row(9, name: "after"), lsn: 300)])
        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [9] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [9])
        #expect(apply.service.statistics.tables["public.\(topic.sourceTable)"]?.truncates == 1)
    }
}

@Suite("Apply truncate on several partitions")
struct ApplyPartitionedTruncateTests {
    /// A truncate is one record in one partition; a lagging partition's older record of a truncated row would
    /// re-create it afterwards. Apply refuses `--truncate delete` on such topics rather than be inexact.
    @Test func truncateDeleteIsRefusedOnATopicOfSeveralPartitions() async throws {
        let topic = try await ApplyTestTopic("truncate_parts", partitions: 2)
        defer { Task { await topic.dropTable() } }
        var options = try topic.options()
        options.truncateMode = .delete
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }
        let failure = await #expect(throws: ApplyError.self) { try await apply.task.value }
        #expect(
            failure?.description
                == "--truncate delete needs topics of one partition, and \(topic.topic) has 2: a record of a partition "
                + "behind the truncate's would bring back a row the truncate deleted. Use --truncate ignore (and "
                + "clear the table yourself), or capture into topics of one partition")
    }
}

@Suite("Apply truncate of a table the mappings leave out")
struct ApplyUnselectedTruncateTests {
    /// Capture may send a table this apply's mappings do not select; its truncate must not touch the DynamoDB table
    /// its name would map to by default (another pipeline's, say): no item of it is deleted.
    @Test func aTruncateOfAnUnselectedTableDeletesNothing() async throws {
        let topic = try await ApplyTestTopic("truncate_unselected")
        defer { Task { await topic.dropTable() } }
        let other = TestStack.uniqueName("t")
        let otherTopic = "\(topic.prefix).public.\(other)"
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: otherTopic, partitions: 1)])
        try await topic.client.createTable(
            CreateTableInput(tableName: other, attributeDefinitions: [AttributeDefinition("id", .n)],
                             keySchema: [KeySchemaElement("id", .hash)]))
        defer { Task { [client = topic.client] in _ = try? await client.deleteTable(other) } }
        _ = try await topic.client.putItem(PutItemInput(tableName: other, item: ["id": .n("1"), "_ferry_version": .n("1")]))

        let group = TestStack.uniqueName("g")
        var options = try topic.options(group: group)
        options.truncateMode = .delete
        let apply = topic.startApply(options)
        defer { apply.task.cancel() }
        var truncate = topic.record(.truncate, id: 0, lsn: 200)
        truncate.source.table = other
        truncate.key = nil
        truncate.before = nil
        try await topic.produce([KafkaOutgoingMessage(topic: otherTopic, key: Array("{}".utf8), value: ChangeRecordCodec.encodeValue(truncate))])

        let deadline = ContinuousClock.Instant.deadline(in: .seconds(60))
        var committed: Int64?
        while committed != 1 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            committed = try? await admin.committedOffsets(group: group, partitions: [TopicPartition(topic: otherTopic, partition: 0)]).first?.offset
        }
        #expect(committed == 1)
        #expect(try await ApplyTestTopic.scan(other, client: topic.client).map(ApplyTestTopic.id(of:)) == [1])
        #expect(apply.service.statistics.tables["public.\(other)"]?.truncates == nil)
    }
}
