import NIOCore
import Shared
import Testing

@testable import Capture

@Suite("Incremental snapshot: windows, watermarks and chunk queries (pure)")
struct IncrementalSnapshotLogicTests {
    private func changed(_ windows: inout SnapshotWindows, _ table: String, _ key: String) {
        Array(key.utf8).withUnsafeBufferPointer { windows.changed(table: table, key: $0) }
    }

    @Test func aWindowCollectsOnlyItsTablesKeysBetweenItsMarks() {
        var windows = SnapshotWindows(keyLimit: 10)
        changed(&windows, "public.a", #"{"id":1}"#)  // before the low mark: not in the window
        windows.open(7, table: "public.a")
        changed(&windows, "public.a", #"{"id":2}"#)
        changed(&windows, "public.b", #"{"id":3}"#)
        changed(&windows, "public.a", #"{"id":2}"#)
        #expect(windows.close(7) == .changed([Array(#"{"id":2}"#.utf8)]))
        #expect(windows.close(7) == nil)
        #expect(windows.isEmpty)
    }

    @Test func tooManyKeysOrATruncateAbandonTheWindow() {
        var windows = SnapshotWindows(keyLimit: 2)
        windows.open(1, table: "t")
        windows.open(2, table: "u")
        for id in 0..<3 { changed(&windows, "t", #"{"id":\#(id)}"#) }
        windows.truncated(table: "u")
        guard case .abandoned(let tooMany)? = windows.close(1), case .abandoned(let truncated)? = windows.close(2) else {
            Issue.record("both windows should be abandoned")
            return
        }
        #expect(tooMany.contains("more than 2 keys of t"))
        #expect(truncated.contains("u was truncated"))
    }

    @Test func watermarksRoundTripAndOthersAreNotMarks() {
        let mark = SnapshotWatermark(.high, chunk: 0xfeed_beef_0001)
        #expect(SnapshotWatermark(content: ByteBuffer(string: mark.content)) == mark)
        #expect(SnapshotWatermark(content: ByteBuffer(string: "middle 12")) == nil)
        #expect(SnapshotWatermark(content: ByteBuffer(string: "low")) == nil)
    }

    @Test func chunkQueriesCompareKeyTuplesAndQuoteValues() throws {
        let key = [
            SourceColumn(name: "Region", type: PostgresColumnType(name: "text")),
            SourceColumn(name: "n", type: PostgresColumnType(name: "int4")),
        ]
        #expect(try ChunkQuery(key: key, after: nil, filter: nil, rows: 5).clause() == #"ORDER BY "Region", "n" LIMIT 5"#)
        let after: JSONObject = ["Region": .string(#"o'k\x"#), "n": .number("42")]
        #expect(
            try ChunkQuery(key: key, after: after, filter: "n % 2 = 0", rows: 10).clause()
                == #"WHERE ("Region", "n") > (E'o''k\\x', E'42') AND (n % 2 = 0) ORDER BY "Region", "n" LIMIT 10"#)
        let blob = [SourceColumn(name: "b", type: PostgresColumnType(name: "bytea"))]
        #expect(
            try ChunkQuery(key: blob, after: ["b": .string("AAE=")], filter: nil, rows: 1).clause()
                == #"WHERE ("b") > (decode(E'AAE=', 'base64')) ORDER BY "b" LIMIT 1"#)
        #expect(throws: ChunkQuery.UnsupportedKey.self) {
            try ChunkQuery(key: key, after: ["Region": .array([]), "n": 1], filter: nil, rows: 1).clause()
        }
    }
}
