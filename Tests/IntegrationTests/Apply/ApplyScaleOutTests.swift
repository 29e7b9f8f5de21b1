import Apply
import Foundation
import Shared
import Testing

/// Two apply services in one consumer group share the partitions; when one leaves, the other takes over.
@Suite("Apply scale-out")
struct ApplyScaleOutTests {
    @Test func twoMembersShareThePartitionsAndOneTakesOverWhenTheOtherLeaves() async throws {
        let topic = try await ApplyTestTopic("scale", partitions: 2)
        defer { Task { await topic.dropTable() } }
        let group = TestStack.uniqueName("g")
        let first = topic.startApply(try topic.options(group: group))
        let second = topic.startApply(try topic.options(group: group))
        defer {
            first.task.cancel()
            second.task.cancel()
        }
        // Let both join before there is anything to read, so neither drains the topic alone.
        try await Task.sleep(for: .seconds(8))

        let rows = 200
        try await topic.produce((1...rows).map { id in
            topic.record(.create, id: id, after: row(id, name: "first"), lsn: UInt64(100 + id))
        })
        let shared = try await topic.items { $0.count == rows }
        #expect(shared.count == rows)
        let table = "public.\(topic.sourceTable)"
        let firstInserts = first.service.statistics.tables[table]?.inserts ?? 0
        let secondInserts = second.service.statistics.tables[table]?.inserts ?? 0
        #expect(firstInserts > 0 && secondInserts > 0, "first \(firstInserts), second \(secondInserts)")
        #expect(firstInserts + secondInserts == rows)

        // The first member leaves the group (committing what it applied); the second takes all partitions.
        first.task.cancel()
        _ = try? await first.task.value
        try await topic.produce((1...rows).map { id in
            topic.record(.update, id: id, after: row(id, name: "second"), lsn: UInt64(10_000 + id))
        })
        let updated = try await topic.items(within: .seconds(90)) { items in
            items.count == rows && items.allSatisfy { $0["name"] == .s("second") }
        }
        #expect(updated.count == rows && updated.allSatisfy { $0["name"] == .s("second") })
    }
}
