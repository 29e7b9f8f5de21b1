import Apply
import Foundation
import Shared
import Testing

/// Apply for prefix `a` reads `a`'s table topics only: not the table topics of a pipeline with prefix `a.b`
/// (`a.b.<schema>.<table>`), which the old `^a\.` subscription took for tables of `a`.
@Suite("Apply topic selection")
struct ApplyTopicSelectionTests {
    @Test func aLongerPrefixsTopicsAreNotApplied() async throws {
        let topic = try await ApplyTestTopic("nested")
        defer { Task { await topic.dropTable() } }
        // The same table captured by another pipeline, prefix `<prefix>.b`: a record apply must not write.
        let nested = "\(topic.prefix).b.public.\(topic.sourceTable)"
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics([KafkaNewTopic(name: nested, partitions: 1)])
        let foreign = topic.record(.create, id: 99, after: row(99, name: "other pipeline"), lsn: 100)
        try await topic.produce([
            KafkaOutgoingMessage(
                topic: nested, key: ChangeRecordCodec.encodeKey(["id": .integer(99)]), value: ChangeRecordCodec.encodeValue(foreign))
        ])
        try await topic.produce([topic.record(.create, id: 1, after: row(1, name: "own"), lsn: 200)])

        let group = TestStack.uniqueName("g")
        let apply = topic.startApply(try topic.options(group: group))
        defer { apply.task.cancel() }
        #expect(try await topic.waitForCommit(group: group, count: 1))
        // Both topics existed before apply subscribed, so a subscription taking the nested one reads it in the same
        // first fetches; a few seconds more leave it time to land.
        try await Task.sleep(for: .seconds(3))
        let items = try await topic.scan()
        #expect(items.map(ApplyTestTopic.id(of:)) == [1])
        let nestedCommitted = try await admin.committedOffsets(group: group, partitions: [TopicPartition(topic: nested, partition: 0)])
        #expect(nestedCommitted.allSatisfy { $0.offset < 0 }, "\(nestedCommitted)")
        apply.task.cancel()
    }
}
