import Shared
import Testing

@testable import Apply

@Suite("Batch coalescing")
struct BatchCoalescerTests {
    func write(_ id: Int, _ action: ItemWrite.Action, lsn: UInt64, seq: Int64 = 0, table: String = "t") -> ItemWrite {
        ItemWrite(
            sourceTable: "public.\(table)", targetTable: table, key: ["id": .n(String(id))], action: action,
            version: RecordVersion(commitLSN: LSN(rawValue: lsn), seq: seq), op: .update, commitTimeMs: 0,
            origin: MessageOrigin(topic: "p.public.\(table)", partition: 0, offset: Int64(lsn)))
    }

    @Test func keepsTheNewestWritePerItem() {
        let result = BatchCoalescer.coalesce([
            write(1, .put(["id": .n("1"), "v": .s("a")]), lsn: 10),
            write(2, .put(["id": .n("2")]), lsn: 11),
            write(1, .put(["id": .n("1"), "v": .s("b")]), lsn: 12),
            write(1, .delete, lsn: 13),
        ])
        #expect(result.count == 2)
        #expect(result[0].action == .delete)
        #expect(result[0].version.commitLSN.rawValue == 13)
        #expect(result[1].key == ["id": .n("2")])
    }

    @Test func foldsByVersionNotArrival() {
        let result = BatchCoalescer.coalesce([
            write(1, .put(["id": .n("1"), "v": .s("new")]), lsn: 20),
            write(1, .put(["id": .n("1"), "v": .s("replayed")]), lsn: 10),
            write(1, .put(["id": .n("1"), "v": .s("same")]), lsn: 20),
        ])
        #expect(result.map(\.action) == [.put(["id": .n("1"), "v": .s("new")])])
    }

    @Test func snapshotRowLosesToTheChangeAtItsLSN() {
        let result = BatchCoalescer.coalesce([
            write(1, .put(["id": .n("1"), "v": .s("change")]), lsn: 10, seq: 0),
            write(1, .put(["id": .n("1"), "v": .s("snapshot")]), lsn: 10, seq: -1),
        ])
        #expect(result.map(\.action) == [.put(["id": .n("1"), "v": .s("change")])])
    }

    @Test func partialUpdateMergesIntoTheEarlierPut() {
        let result = BatchCoalescer.coalesce([
            write(1, .put(["id": .n("1"), "a": .s("1"), "big": .s("toast"), "gone": .s("x")]), lsn: 10),
            write(1, .update(set: ["a": .s("2")], remove: ["gone"]), lsn: 11),
        ])
        #expect(result.count == 1)
        #expect(result[0].action == .put(["id": .n("1"), "a": .s("2"), "big": .s("toast")]))
        #expect(result[0].version.commitLSN.rawValue == 11)
        #expect(result[0].origin.offset == 11)
    }

    @Test func partialUpdatesMerge() {
        let result = BatchCoalescer.coalesce([
            write(1, .update(set: ["a": .s("1")], remove: ["b"]), lsn: 10),
            write(1, .update(set: ["b": .s("2")], remove: ["c"]), lsn: 11),
        ])
        #expect(result.map(\.action) == [.update(set: ["a": .s("1"), "b": .s("2")], remove: ["c"])])
    }

    @Test func sameKeyInDifferentTablesStaysApart() {
        let result = BatchCoalescer.coalesce([
            write(1, .delete, lsn: 10, table: "a"),
            write(1, .delete, lsn: 11, table: "b"),
        ])
        #expect(result.count == 2)
    }
}
