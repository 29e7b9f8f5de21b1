import NIOCore
import Shared
import Testing

@testable import Capture

/// The assembler writes record messages straight from pgoutput tuples. Consumers only ever see those bytes, so each
/// message must be exactly what `ChangeRecordCodec` writes for the record docs/design.md describes, built the general way
/// (values decoded to `JSONValue`s).
@Suite("Change assembler: pgoutput changes to record messages")
struct ChangeAssemblerTests {
    static let payments = RecordShape(
        schema: "public", table: "payments",
        columns: [
            ("id", "int4"), ("amount", "numeric"), ("note", "varchar"), ("paid_at", "timestamptz"), ("settled", "bool"),
            ("details", "jsonb"), ("mood", "text"), ("doc", "text"),
        ].map { RecordShape.Column(name: $0.0, type: PostgresColumnType(name: $0.1)) },
        keyIndexes: [0])
    /// REPLICA IDENTITY FULL; keyed by `id` as if the catalog had found a unique index on it.
    static let auditLog = RecordShape(
        schema: "public", table: "audit_log",
        columns: [("id", "int8"), ("body", "text")].map { RecordShape.Column(name: $0.0, type: PostgresColumnType(name: $0.1)) },
        keyIndexes: [0])
    static let paymentsOID: UInt32 = 16459
    static let auditLogOID: UInt32 = 16466
    static let nowMs: Int64 = 1_765_000_000_000

    /// One Kafka message of a batch.
    struct Message: Equatable, CustomStringConvertible {
        var topic: String
        var key: [UInt8]
        var value: [UInt8]?
        /// A tombstone's header: the delete it follows.
        var header: KafkaHeader? = nil

        var description: String {
            "\(topic) \(String(decoding: key, as: UTF8.self)) \(value.map { String(decoding: $0, as: UTF8.self) } ?? "null")"
                + (header.map { " \($0.name): " + String(decoding: $0.value ?? [], as: UTF8.self) } ?? "")
        }
    }

    @Test func theFixtureStreamBecomesTheCodecsBytesForEveryKindOfChange() throws {
        var assembler = Self.assembler(tombstones: true)
        var batch = ChangeBatchBuilder()
        let begin = try Self.begin()
        let changes = [
            PgOutputFixtures.insertPayment, PgOutputFixtures.insertPaymentWithToastedDoc,
            PgOutputFixtures.updateKeepingToastedDoc, PgOutputFixtures.updatePrimaryKey, PgOutputFixtures.deletePayment,
            PgOutputFixtures.insertAuditLog, PgOutputFixtures.updateAuditLog, PgOutputFixtures.deleteAuditLog,
            PgOutputFixtures.truncateCascade,
        ]
        try assembler.handle(.begin(begin), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        for (index, change) in changes.enumerated() {
            try assembler.handle(
                try PgOutputFixtures.decode(change), at: Self.lsn(index), nowMs: Self.nowMs, into: &batch)
        }
        let inTransaction = assembler.isInTransaction
        #expect(inTransaction)
        let commitEnd = LSN(rawValue: 0x56424F0)
        try assembler.handle(try PgOutputFixtures.decode(PgOutputFixtures.commit), at: LSN(rawValue: 0x200), nowMs: Self.nowMs, into: &batch)
        let afterCommit = assembler.isInTransaction
        #expect(!afterCommit)
        let built = batch.build()

        let doc = String(repeating: "x", count: 3000)
        let paymentOne: [String?] = ["1", "12.34", "first", "2024-11-24 15:00:00.123456+00", "t", #"{"a": 1}"#, "happy", nil]
        let paymentTwo: [String?] = ["2", "5.00", nil, nil, nil, nil, nil, doc]
        let paymentTwoUpdated: [String?] = ["2", "99.99", nil, nil, nil, nil, nil, nil]
        let paymentThree: [String?] = ["3"] + paymentOne.dropFirst()
        var seq: Int64 = -1
        func record(
            _ op: Operation, _ shape: RecordShape, at change: Int, key: JSONObject?, before: [String?]? = nil,
            after: [String?]? = nil, unsent: Set<String> = []
        ) throws -> Message {
            seq += 1
            let source = SourceInfo(
                version: FerryVersion.current, name: "pfx", db: "shop", schema: shape.schema, table: shape.table,
                snapshot: false, txId: Int64(begin.xid), lsn: Self.lsn(change), commitLSN: begin.finalLSN, seq: seq,
                tsMs: begin.commitTimestamp.unixMilliseconds)
            let record = ChangeRecord(
                op: op, tsMs: Self.nowMs, source: source, key: key, before: try before.map { try Self.object($0, shape) },
                after: try after.map { try Self.object($0, shape, leavingOut: unsent) }, types: shape.types,
                unchanged: shape.columns.map(\.name).filter(unsent.contains))
            // A truncate's record has no key; its message has `{}`, which a compacted topic accepts.
            return Message(
                topic: "pfx.public.\(shape.table)", key: key.map(ChangeRecordCodec.encodeKey) ?? Array("{}".utf8),
                value: ChangeRecordCodec.encodeValue(record))
        }
        // A tombstone carries the delete before it, byte for byte, as its header.
        func tombstone(after delete: Message) -> Message {
            Message(
                topic: delete.topic, key: delete.key, value: nil,
                header: KafkaHeader(name: ChangeRecordCodec.tombstoneDeleteHeader, value: delete.value))
        }
        let expected = [
            try record(.create, Self.payments, at: 0, key: ["id": 1], after: paymentOne),
            try record(.create, Self.payments, at: 1, key: ["id": 2], after: paymentTwo),
            // The unchanged TOAST value is left out of `after` and listed, never a placeholder.
            try record(.update, Self.payments, at: 2, key: ["id": 2], after: paymentTwoUpdated, unsent: ["doc"]),
            // A key change: delete of the old key (only the key was sent: no `before`) and create of the new one.
            try record(.delete, Self.payments, at: 3, key: ["id": 1]),
            try record(.create, Self.payments, at: 3, key: ["id": 3], after: paymentThree),
            try record(.delete, Self.payments, at: 4, key: ["id": 3]),
            try record(.create, Self.auditLog, at: 5, key: ["id": 1], after: ["1", "a"]),
            // REPLICA IDENTITY FULL: the whole old row is the `before`.
            try record(.update, Self.auditLog, at: 6, key: ["id": 1], before: ["1", "a"], after: ["1", "b"]),
            try record(.delete, Self.auditLog, at: 7, key: ["id": 1], before: ["1", "b"]),
            try record(.truncate, Self.payments, at: 8, key: nil),
            try record(.truncate, Self.auditLog, at: 8, key: nil),
        ]
        .flatMap { message in
            // Each delete is followed by its tombstone.
            message.value.map { String(decoding: $0, as: UTF8.self).hasPrefix(#"{"op":"d""#) } == true
                ? [message, tombstone(after: message)] : [message]
        }
        let messages = Self.messages(built)
        #expect(messages.count == expected.count)
        for (message, reference) in zip(messages, expected) {
            #expect(message == reference)
        }
        #expect(built.acknowledgementPoints == [AcknowledgementPoint(afterMessages: expected.count, lsn: commitEnd)])
        #expect(built.counts == [.create: 4, .update: 2, .delete: 3, .truncate: 2])
    }

    @Test func withoutCompactionDeletesHaveNoTombstone() throws {
        var assembler = Self.assembler(tombstones: false)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        try assembler.handle(try PgOutputFixtures.decode(PgOutputFixtures.deletePayment), at: Self.lsn(0), nowMs: Self.nowMs, into: &batch)
        let messages = Self.messages(batch.build())
        #expect(messages.count == 1)
        #expect(messages.allSatisfy { $0.value != nil })
    }

    @Test func aHeartbeatBetweenTransactionsIsAnAcknowledgementPointAndOtherMessagesAreNot() throws {
        var assembler = Self.assembler(tombstones: true)
        var batch = ChangeBatchBuilder()
        let ours = PgOutputMessage.logicalMessage(
            .init(isTransactional: false, lsn: LSN(rawValue: 0x900), prefix: ChangeAssembler.heartbeatPrefix, content: ByteBuffer(string: "1")))
        try assembler.handle(try PgOutputFixtures.decode(PgOutputFixtures.nonTransactionalMessage), at: LSN(rawValue: 0x800), nowMs: Self.nowMs, into: &batch)
        try assembler.handle(ours, at: LSN(rawValue: 0x900), nowMs: Self.nowMs, into: &batch)
        // Inside a transaction the position is not ours to acknowledge yet.
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0xA00), nowMs: Self.nowMs, into: &batch)
        try assembler.handle(ours, at: LSN(rawValue: 0xB00), nowMs: Self.nowMs, into: &batch)
        let built = batch.build()
        #expect(built.messages.count == 0)
        #expect(built.acknowledgementPoints == [AcknowledgementPoint(afterMessages: 0, lsn: LSN(rawValue: 0x900))])
    }

    @Test func aColumnAddedMidStreamAppearsInTheNextRecords() throws {
        var assembler = Self.assembler(tombstones: true)
        let added = RecordShape(
            schema: "public", table: "payments",
            columns: Self.payments.columns + [RecordShape.Column(name: "currency", type: PostgresColumnType(name: "bpchar"))],
            keyIndexes: [0])
        assembler.register(added, for: Self.paymentsOID)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        try assembler.handle(
            try PgOutputFixtures.decode(PgOutputFixtures.insertPaymentAfterAddColumn), at: Self.lsn(0), nowMs: Self.nowMs,
            into: &batch)
        let value = try #require(Self.messages(batch.build()).first?.value)
        let record = try ChangeRecordCodec.decodeValue(value)
        #expect(record.after?["currency"] == "EUR")
        #expect(record.types.last == ColumnType(column: "currency", typeName: "bpchar"))
    }

    @Test func everyTypeDESIGNListsEncodesToTheCodecsBytes() throws {
        // The snapshot encoder's columns, read from COPY text into the raw text pgoutput sends.
        let shape = SnapshotRecordEncoderTests.shape
        var assembler = ChangeAssembler(prefix: "loanapp", database: "Loan\"App", tombstones: true)
        assembler.register(shape, for: 1)
        var batch = ChangeBatchBuilder()
        let begin = try Self.begin()
        try assembler.handle(.begin(begin), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        var random = SplitMix64(seed: 0xc0ffee)
        var expected: [Message] = []
        var scratch: [UInt8] = []
        for index in 0..<1000 {
            let columns = SnapshotRecordEncoderTests.columns
            let copyRow = columns.map { column in
                random.next() % 10 == 0 ? #"\N"# : column.values[Int(random.next() % UInt64(column.values.count))]
            }.joined(separator: "\t")
            var tuple: [TupleValue] = []
            var values: RecordShape.Values = []
            try Array(copyRow.utf8).withUnsafeBytes { row in
                try CopyTextRow.forEachField(in: row, scratch: &scratch) { field, text in
                    tuple.append(text.map { .text(ByteBuffer(bytes: $0)) } ?? .null)
                    values.append(try PostgresTextValue.decode(text, as: shape.columns[field].type))
                }
            }
            try assembler.handle(
                .insert(.init(relationOID: 1, newTuple: TupleData(columns: tuple))), at: Self.lsn(index), nowMs: Self.nowMs,
                into: &batch)
            let key = try #require(shape.key(values))
            let source = SourceInfo(
                version: FerryVersion.current, name: "loanapp", db: "Loan\"App", schema: shape.schema, table: shape.table,
                snapshot: false, txId: Int64(begin.xid), lsn: Self.lsn(index), commitLSN: begin.finalLSN,
                seq: Int64(index), tsMs: begin.commitTimestamp.unixMilliseconds)
            let record = ChangeRecord(
                op: .create, tsMs: Self.nowMs, source: source, key: key, before: nil, after: shape.object(values),
                types: shape.types)
            expected.append(
                Message(topic: source.topic, key: ChangeRecordCodec.encodeKey(key), value: ChangeRecordCodec.encodeValue(record)))
        }
        let messages = Self.messages(batch.build())
        #expect(messages.count == expected.count)
        for (index, (message, reference)) in zip(messages, expected).enumerated() {
            #expect(message == reference, "row \(index)")
        }
    }

    @Test func aChangeBeforeItsRelationFailsNamingTheRelation() throws {
        var assembler = ChangeAssembler(prefix: "pfx", database: "shop", tombstones: true)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        let error = try #require(throws: ChangeAssembler.Failure.self) {
            try assembler.handle(try PgOutputFixtures.decode(PgOutputFixtures.insertPayment), at: Self.lsn(0), nowMs: Self.nowMs, into: &batch)
        }
        #expect(error.description.contains("relation 16459 before its Relation message"))
    }

    /// A table the publication sends but capture does not select: its changes (and its part of a truncate) make
    /// no record, and are counted per table.
    @Test func changesOfAnUnselectedTableAreDroppedAndCounted() throws {
        var assembler = ChangeAssembler(prefix: "pfx", database: "shop", tombstones: true)
        assembler.ignore(Self.paymentsOID, table: "public.payments")
        assembler.register(Self.auditLog, for: Self.auditLogOID)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        for fixture in [PgOutputFixtures.insertPayment, PgOutputFixtures.deletePayment] {
            try assembler.handle(try PgOutputFixtures.decode(fixture), at: Self.lsn(0), nowMs: Self.nowMs, into: &batch)
        }
        try assembler.handle(
            .truncate(.init(options: [], relationOIDs: [Self.paymentsOID, Self.auditLogOID])), at: Self.lsn(1),
            nowMs: Self.nowMs, into: &batch)
        let messages = Self.messages(batch.build())
        #expect(messages.map(\.topic) == ["pfx.public.audit_log"])
        #expect(assembler.takeDropped() == ["public.payments": 3])
        #expect(assembler.takeDropped().isEmpty)
    }

    @Test func aChangeOutsideATransactionFails() throws {
        var assembler = Self.assembler(tombstones: true)
        var batch = ChangeBatchBuilder()
        let error = try #require(throws: ChangeAssembler.Failure.self) {
            try assembler.handle(try PgOutputFixtures.decode(PgOutputFixtures.insertPayment), at: Self.lsn(0), nowMs: Self.nowMs, into: &batch)
        }
        #expect(error.description.contains("outside a transaction"))
    }

    @Test func aMalformedValueFailsNamingTheColumn() throws {
        var assembler = Self.assembler(tombstones: true)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        let tuple = TupleData(columns: [.text("12a"), .null, .null, .null, .null, .null, .null, .null])
        let error = try #require(throws: ChangeAssembler.Failure.self) {
            try assembler.handle(.insert(.init(relationOID: Self.paymentsOID, newTuple: tuple)), at: Self.lsn(0), nowMs: Self.nowMs, into: &batch)
        }
        #expect(error.description.hasPrefix("public.payments.id: "))
    }

    @Test func aTupleWithTheWrongColumnCountFails() throws {
        var assembler = Self.assembler(tombstones: true)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        let error = try #require(throws: ChangeAssembler.Failure.self) {
            try assembler.handle(
                .insert(.init(relationOID: Self.paymentsOID, newTuple: TupleData(columns: [.text("1")]))), at: Self.lsn(0),
                nowMs: Self.nowMs, into: &batch)
        }
        #expect(error.description == "public.payments: tuple has 1 columns, relation has 8")
    }

    @Test func aDeleteWithoutKeyValuesFailsNamingTheTable() throws {
        var assembler = Self.assembler(tombstones: true)
        var batch = ChangeBatchBuilder()
        try assembler.handle(.begin(try Self.begin()), at: LSN(rawValue: 0x100), nowMs: Self.nowMs, into: &batch)
        let keyNotSent = OldTuple.key(TupleData(columns: [.unchangedToast, .null, .null, .null, .null, .null, .null, .null]))
        let error = try #require(throws: ChangeAssembler.Failure.self) {
            try assembler.handle(
                .delete(.init(relationOID: Self.paymentsOID, oldTuple: keyNotSent)), at: Self.lsn(0), nowMs: Self.nowMs,
                into: &batch)
        }
        #expect(error.description.contains("a delete on public.payments at"))
        #expect(error.description.contains("has no key values"))
    }

    // MARK: Helpers

    static func assembler(tombstones: Bool) -> ChangeAssembler {
        var assembler = ChangeAssembler(prefix: "pfx", database: "shop", tombstones: tombstones)
        assembler.register(payments, for: paymentsOID)
        assembler.register(auditLog, for: auditLogOID)
        return assembler
    }

    static func begin() throws -> PgOutputMessage.Begin {
        guard case .begin(let begin) = try PgOutputFixtures.decode(PgOutputFixtures.begin) else {
            throw ChangeAssembler.Failure(description: "the Begin fixture is not a Begin")
        }
        return begin
    }

    /// The WAL position of the test's `index`-th change.
    static func lsn(_ index: Int) -> LSN { LSN(rawValue: 0x5640000 + UInt64(index) * 0x40) }

    /// A row as a record object: text values decoded the general way, `unsent` columns left out.
    static func object(_ texts: [String?], _ shape: RecordShape, leavingOut unsent: Set<String> = []) throws -> JSONObject {
        let values: RecordShape.Values = try zip(texts, shape.columns).map { text, column in
            if unsent.contains(column.name) { return nil }
            guard let text else { return .null }
            return try Array(text.utf8).withUnsafeBytes { try PostgresTextValue.decode($0, as: column.type) }
        }
        return shape.object(values)
    }

    static func messages(_ batch: ChangeBatch) -> [Message] {
        var messages: [Message] = []
        batch.messages.forEachMessage { topic, key, value, header in
            messages.append(Message(topic: topic, key: Array(key), value: value.map(Array.init), header: header))
        }
        return messages
    }
}
