import Shared
import Testing

@testable import Apply

@Suite("Item write building")
struct ItemWriteBuilderTests {
    let mapper: ItemMapper
    let origin = MessageOrigin(topic: "p.public.t", partition: 0, offset: 7)
    let types = [
        ColumnType(column: "id", typeName: "int4"), ColumnType(column: "name", typeName: "text"),
        ColumnType(column: "payload", typeName: "text"),
    ]

    init() throws {
        let mappings = try TableMappings.parse(Array(
            #"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"public","table-name":"t"},"rule-action":"include"}]}"#.utf8))
        mapper = try ItemMapper(mappings: mappings, schema: "public", table: "t", primaryKey: ["id"])
    }

    func record(_ op: Operation, after: JSONObject?, unchanged: [String] = []) -> ChangeRecord {
        ChangeRecord(
            op: op, tsMs: 0,
            source: SourceInfo(
                version: "t", name: "p", db: "d", schema: "public", table: "t", snapshot: false, txId: 1,
                lsn: LSN(rawValue: 10), commitLSN: LSN(rawValue: 10), seq: 0, tsMs: 5),
            key: ["id": .integer(1)], before: op == .delete ? ["id": .integer(1)] : nil, after: after,
            types: types, unchanged: unchanged)
    }

    func write(_ record: ChangeRecord) throws -> ItemWrite {
        try ItemWriteBuilder.write(for: record, mapper: mapper, versionAttribute: "_ferry_version", origin: origin)
    }

    @Test func fullRowsArePutWithoutNullColumns() throws {
        let write = try write(record(.update, after: ["id": .integer(1), "name": .null, "payload": "p"]))
        // With its version (commit LSN 10, seq 0), so the writer need not copy the item to add it.
        #expect(write.action == .put(["id": .n("1"), "payload": .s("p"), "_ferry_version": .n("100000000001")]))
        #expect(write.key == ["id": .n("1")])
        #expect(write.targetTable == "t")
        #expect(write.origin == origin)
    }

    @Test func rowsWithUnchangedColumnsSetWhatWasSentAndRemoveWhatBecameNull() throws {
        let write = try write(record(.update, after: ["id": .integer(1), "name": .null], unchanged: ["payload"]))
        #expect(write.action == .update(set: [:], remove: ["name"]))
    }

    /// Limited LOB mode names what it cut in the item; a write that cut nothing leaves a put without the name and
    /// removes it in a partial update, unless an unchanged large column (whose stored value may be cut) remains.
    @Test func theTruncationMarkerNamesTheCutAttributesOrGoes() throws {
        func write(_ record: ChangeRecord, cut: [String]) throws -> ItemWrite {
            try ItemWriteBuilder.write(
                for: record, mapper: mapper, versionAttribute: "_ferry_version", origin: origin,
                truncation: TruncationMarker(attribute: "_cut", cutColumns: cut))
        }
        let full = record(.update, after: ["id": .integer(1), "name": "n", "payload": "p"])
        guard case .put(let cutItem) = try write(full, cut: ["payload"]).action else {
            Issue.record("not a put")
            return
        }
        #expect(cutItem["_cut"] == .ss(["payload"]))
        guard case .put(let wholeItem) = try write(full, cut: []).action else {
            Issue.record("not a put")
            return
        }
        #expect(wholeItem["_cut"] == nil)

        let partial = record(.update, after: ["id": .integer(1), "name": "n"], unchanged: ["payload"])
        #expect(try write(partial, cut: []).action == .update(set: ["name": .s("n"), "_cut": .ss(["payload"])], remove: []))
        let partialCut = record(.update, after: ["id": .integer(1), "payload": "p"], unchanged: ["name"])
        #expect(try write(partialCut, cut: ["payload"]).action == .update(set: ["payload": .s("p"), "_cut": .ss(["name", "payload"])], remove: []))
        let partialWhole = ChangeRecord(
            op: .update, tsMs: 0, source: partial.source, key: partial.key, before: nil,
            after: ["id": .integer(1), "payload": "p"], types: types + [ColumnType(column: "n", typeName: "int4")],
            unchanged: ["n"])
        #expect(try write(partialWhole, cut: []).action == .update(set: ["payload": .s("p")], remove: ["_cut"]))
    }

    @Test func deletesNeedOnlyTheKey() throws {
        let write = try write(record(.delete, after: nil))
        #expect(write.action == .delete)
        #expect(write.key == ["id": .n("1")])
    }

    @Test func itemsOverFourHundredKilobytesAreRefused() {
        let huge = String(repeating: "x", count: 500 * 1024)
        #expect(throws: ApplyRecordError.self) {
            try write(record(.create, after: ["id": .integer(1), "payload": .string(huge)]))
        }
    }

    @Test func rowsWithoutTheirKeyAreUnmappable() {
        #expect(throws: ApplyRecordError.unmappable("no value for key attribute 'id'")) {
            try write(record(.create, after: ["name": "n"]))
        }
    }
}
