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
