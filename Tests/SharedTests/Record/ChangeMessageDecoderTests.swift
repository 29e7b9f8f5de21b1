import Testing

@testable import Shared

/// The one decoding point of apply and tail: each kind of message of each input format.
@Suite struct ChangeMessageDecoderTests {
    static let delete = ChangeRecord(
        op: .delete, tsMs: 2,
        source: SourceInfo(
            version: "t", name: "p", db: "d", schema: "public", table: "t", snapshot: false, txId: 1,
            lsn: LSN(rawValue: 10), commitLSN: LSN(rawValue: 12), seq: 0, tsMs: 1),
        key: ["id": 7], before: ["id": 7], after: nil, types: [ColumnType(column: "id", typeName: "int4")])

    @Test func ferryRecordsTombstonesAndControlRecords() throws {
        var decoder = ChangeMessageDecoder(format: .ferry)
        let key = ChangeRecordCodec.encodeKey(["id": 7])
        #expect(try decoder.decode(key: key, value: ChangeRecordCodec.encodeValue(Self.delete), headers: []) == .change(Self.delete))
        let carried = KafkaHeader(name: ChangeRecordCodec.tombstoneDeleteHeader, value: ChangeRecordCodec.encodeValue(Self.delete))
        #expect(
            try decoder.decode(key: key, value: nil, headers: [carried])
                == .tombstone(key: ["id": 7], types: Self.delete.types, delete: Self.delete))
        #expect(try decoder.decode(key: key, value: nil, headers: []) == .tombstone(key: ["id": 7], types: [], delete: nil))
        #expect(throws: ChangeRecordDecodingError(part: .key, path: "", problem: .tombstoneWithoutKey)) {
            try decoder.decode(key: nil as [UInt8]?, value: nil, headers: [])
        }
        let marker = GenerationSnapshotMarker(schema: "public", table: "t", generation: 2, partitionEnds: [3])
        let control = marker.message(topic: "p.public.t", partition: 0)
        #expect(try decoder.decode(key: control.key, value: control.value, headers: control.headers) == .control(marker))
        #expect(
            try decoder.decode(key: control.key, value: Array(#"{"control":"newer"}"#.utf8), headers: control.headers)
                == .control(nil))
    }

    /// Debezium's messages go through `DebeziumMessageDecoder`: a tombstone's key read through its Connect schema.
    @Test func debeziumRecordsAndTombstones() throws {
        let fixture = try DebeziumFixture("conformance-precise-adaptive")
        var decoder = ChangeMessageDecoder(format: .debezium)
        let update = fixture.messages[2]
        #expect(try decoder.decode(key: update.key, value: update.value, headers: []) == .change(try fixture.record(2)))
        let tombstone = fixture.messages[6]
        guard case .tombstone(let key, let types, nil) = try decoder.decode(key: tombstone.key, value: nil, headers: [])
        else {
            Issue.record("not a tombstone")
            return
        }
        #expect(key == ["id": 2])
        #expect(types == [ColumnType(column: "id", typeName: "int4")])
        // Read as Ferry's, a Debezium record names what is missing.
        var ferry = ChangeMessageDecoder(format: .ferry)
        #expect(throws: ChangeRecordDecodingError.self) { try ferry.decode(key: update.key, value: update.value, headers: []) }
    }
}
