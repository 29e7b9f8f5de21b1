import Apply
import Foundation
import Shared
import Testing

/// What compaction leaves of a deleted row — its last record before the delete and the tombstone — still deletes
/// the item (docs/design.md, "Tombstones").
@Suite("Apply compacted deletes")
struct ApplyCompactedDeleteTests {
    @Test func aTombstoneWhoseDeleteWasCompactedAwayDeletesTheItemUnlessTheItemIsNewer() async throws {
        let topic = try await ApplyTestTopic("compacted")
        defer { Task { await topic.dropTable() } }
        let apply = topic.startApply(try topic.options())
        defer { apply.task.cancel() }

        // Row 1: created, then deleted; compaction dropped the delete record, leaving the create and the tombstone.
        // Row 2: the same, written by a capture before tombstones carried their delete (no header).
        // Row 3: the tombstone's delete (lsn 50) is older than the item's version (lsn 110): the item stays.
        let create = [1, 2, 3].map { id in topic.record(.create, id: id, after: row(id, name: "kept"), lsn: UInt64(100 + 10 * (id - 1))) }
        try await topic.produce(create)
        #expect(try await topic.items { $0.count == 3 }.count == 3)
        try await topic.produce([
            topic.tombstone(after: topic.record(.delete, id: 1, lsn: 200)),
            topic.tombstone(after: topic.record(.delete, id: 2, lsn: 210), withHeader: false),
            topic.tombstone(after: topic.record(.delete, id: 3, lsn: 50)),
        ])
        let items = try await topic.items { $0.map(ApplyTestTopic.id(of:)) == [3] }
        #expect(items.map(ApplyTestTopic.id(of:)) == [3])
        #expect(items.first?["name"] == .s("kept"))
    }
}
