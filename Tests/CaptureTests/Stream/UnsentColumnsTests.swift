import NIOCore
import Testing

@testable import Capture
@testable import Shared

/// The pure part of reading back unchanged TOAST columns (docs/design.md, "Unchanged TOAST columns"): which records
/// the assembler marks, the batch written again with the values read, the statement, and the snapshot check.
@Suite("Unchanged TOAST columns: records marked, filled and the read-back statement")
struct UnsentColumnsTests {
    typealias Fixture = ChangeAssemblerTests

    /// Payment 1's key changed to 3; its TOASTed `doc` was not sent.
    static let keyChange = PgOutputMessage.update(
        .init(
            relationOID: Fixture.paymentsOID,
            oldTuple: .key(TupleData(columns: [.text("1")] + Array(repeating: .null, count: 7))),
            newTuple: TupleData(columns: [.text("3"), .text("12.34")] + Array(repeating: .null, count: 5) + [.unchangedToast])))

    static func assemble(_ changes: [PgOutputMessage], reselectUnchanged: Bool) throws -> ChangeBatch {
        var assembler = ChangeAssembler(prefix: "pfx", database: "shop", tombstones: true, reselectUnchanged: reselectUnchanged)
        assembler.register(Fixture.payments, for: Fixture.paymentsOID)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Fixture.begin()), at: LSN(rawValue: 0x100), nowMs: Fixture.nowMs, into: &batch)
        for (index, change) in changes.enumerated() {
            try assembler.handle(change, at: Fixture.lsn(index), nowMs: Fixture.nowMs, into: &batch)
        }
        try assembler.handle(try PgOutputFixtures.decode(PgOutputFixtures.commit), at: LSN(rawValue: 0x200), nowMs: Fixture.nowMs, into: &batch)
        return batch.build()
    }

    /// The record `ChangeRecordCodec` writes for change number `change` of `assemble`, of payment `id`, `seq` in
    /// the fixture transaction.
    static func message(
        _ op: Operation, id: Int64, after: [String?], unsent: Set<String>, change: Int = 0, seq: Int64
    ) throws -> Fixture.Message {
        let begin = try Fixture.begin()
        let shape = Fixture.payments
        let source = SourceInfo(
            version: FerryVersion.current, name: "pfx", db: "shop", schema: "public", table: "payments", snapshot: false,
            txId: Int64(begin.xid), lsn: Fixture.lsn(change), commitLSN: begin.finalLSN, seq: seq,
            tsMs: begin.commitTimestamp.unixMilliseconds)
        let record = ChangeRecord(
            op: op, tsMs: Fixture.nowMs, source: source, key: ["id": .integer(id)], before: nil,
            after: try Fixture.object(after, shape, leavingOut: unsent), types: shape.types,
            unchanged: shape.columns.map(\.name).filter(unsent.contains))
        return Fixture.Message(
            topic: "pfx.public.payments", key: ChangeRecordCodec.encodeKey(["id": .integer(id)]),
            value: ChangeRecordCodec.encodeValue(record))
    }

    @Test func aKeyChangeWithAnUnsentColumnIsFilledInPlaceAndEverythingElseStays() throws {
        let batch = try Self.assemble([Self.keyChange], reselectUnchanged: false)
        // Delete of key 1, its tombstone, create of key 3 — the create marked, found again by its key.
        #expect(batch.unsentColumns.map(\.message) == [2])
        #expect(batch.unsentColumns.first?.keyTexts == ["3"])
        #expect(batch.unsentColumns.first?.unsent == [7])
        let values: [String?] = ["3", "12.34", nil, nil, nil, nil, nil]
        let original = Fixture.messages(batch)
        #expect(original[2] == (try Self.message(.create, id: 3, after: values + [nil], unsent: ["doc"], seq: 1)))

        let filled = try batch.fillingUnsentColumns(from: [0: ["doc": "the body"]])
        let messages = Fixture.messages(filled)
        #expect(messages.count == 3)
        #expect(Array(messages.prefix(2)) == Array(original.prefix(2)))
        #expect(messages[2] == (try Self.message(.create, id: 3, after: values + ["the body"], unsent: [], seq: 1)))
        #expect(filled.acknowledgementPoints == batch.acknowledgementPoints)
        #expect(filled.counts == batch.counts)
        // Read back as NULL (set so by a later update): the record says so.
        let nulled = Fixture.messages(try batch.fillingUnsentColumns(from: [0: ["doc": nil]]))
        #expect(nulled[2] == (try Self.message(.create, id: 3, after: values + [nil], unsent: [], seq: 1)))
        // The row is gone: the record stays as written, the column listed as unchanged.
        #expect(Fixture.messages(try batch.fillingUnsentColumns(from: [:])) == original)
    }

    @Test func anOrdinaryUpdateIsMarkedOnlyWithReselectUnchanged() throws {
        let update = try PgOutputFixtures.decode(PgOutputFixtures.updateKeepingToastedDoc)
        let insert = try PgOutputFixtures.decode(PgOutputFixtures.insertPayment)
        #expect(try Self.assemble([insert, update], reselectUnchanged: false).unsentColumns.isEmpty)
        let marked = try Self.assemble([insert, update], reselectUnchanged: true)
        #expect(marked.unsentColumns.map(\.message) == [1])
        #expect(marked.unsentColumns.first?.op == .update)
        let filled = Fixture.messages(try marked.fillingUnsentColumns(from: [0: ["doc": "kept"]]))
        let values: [String?] = ["2", "99.99", nil, nil, nil, nil, nil, "kept"]
        #expect(filled[1] == (try Self.message(.update, id: 2, after: values, unsent: [], change: 1, seq: 1)))
    }

    @Test func theStatementReadsTheRowsByKeyWithTheSnapshot() throws {
        let shape = RecordShape(
            schema: "s", table: "Line \"items\"",
            columns: [("order", "int4"), ("line", "text"), ("body", "text")].map {
                RecordShape.Column(name: $0.0, type: PostgresColumnType(name: $0.1))
            },
            keyIndexes: [0, 1])
        let query = UnsentColumnsQuery(shape: shape, columns: ["body"], keys: [["1", "a"], ["2", "b"]])
        #expect(
            query.sql == #"""
                SELECT s.visible, r."order", r."line", r."body"
                FROM (SELECT pg_current_snapshot()::text AS visible) AS s
                LEFT JOIN "s"."Line ""items""" AS r
                  ON (r."order", r."line") IN (($1, $2), ($3, $4))
                """#)
        #expect(query.parameters == ["1", "a", "2", "b"])
        let columns = ["visible", "order", "line", "body"].map { PostgresQueryResult.Column(name: $0, typeOID: 25) }
        let found = try query.read(
            PostgresQueryResult(columns: columns, rows: [["10:12:11", "2", "b", nil]], affectedRows: nil))
        #expect(found.snapshot == TransactionSnapshot(xmax: 12, inProgress: [11]))
        let expected: [[String]: [String: String?]] = [["2", "b"]: ["body": nil]]
        #expect(found.rows == expected)
        // Nothing matched: the join's one row carries only the snapshot.
        let none = try query.read(
            PostgresQueryResult(columns: columns, rows: [["10:12:", nil, nil, nil]], affectedRows: nil))
        #expect(none.rows.isEmpty)
        #expect(throws: ChangeAssembler.Failure.self) {
            try query.read(PostgresQueryResult(columns: columns, rows: [], affectedRows: nil))
        }
    }

    @Test func aSnapshotSeesFinishedTransactionsOnly() throws {
        let snapshot = try #require(TransactionSnapshot("100:105:101,103"))
        #expect(snapshot.sees(99))
        #expect(snapshot.sees(102))
        #expect(snapshot.sees(104))
        #expect(!snapshot.sees(101))  // still running
        #expect(!snapshot.sees(105))  // committed in the WAL, not yet visible
        #expect(!snapshot.sees(200))
        // 64-bit ids: a 32-bit id just below xmax's epoch boundary belongs to the previous epoch.
        let nextEpoch = try #require(TransactionSnapshot("\(UInt64(1) << 32 + 3):\(UInt64(1) << 32 + 5):\(UInt64(1) << 32 + 4)"))
        #expect(nextEpoch.sees(UInt32.max))
        #expect(nextEpoch.sees(3))
        #expect(!nextEpoch.sees(4))
        #expect(!nextEpoch.sees(5))
        #expect(TransactionSnapshot("100:105") == nil)
        #expect(TransactionSnapshot("100:x:") == nil)
    }
}
