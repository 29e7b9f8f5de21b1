import NIOCore
import Testing

@testable import Capture

@Suite("pgoutput row changes: Insert, Update, Delete, Truncate")
struct RowChangeMessageDecodingTests {
    static let payments: UInt32 = 16459
    static let auditLog: UInt32 = 16466
    static let paymentOneAfter: [TupleValue] = [
        .text("12.34"), .text("first"), .text("2024-11-24 15:00:00.123456+00"), .text("t"), .text(#"{"a": 1}"#),
        .text("happy"), .null,
    ]

    @Test func decodesInsertInTextFormat() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.insertPayment)
        #expect(
            message
                == .insert(
                    .init(relationOID: Self.payments, newTuple: TupleData(columns: [.text("1")] + Self.paymentOneAfter))
                ))
    }

    @Test func decodesInsertInBinaryFormatToTheSendBytes() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.insertPaymentInBinary)
        let expected: [TupleValue] = [
            .binary(PgOutputFixtures.buffer("00000001")),  // int4 1
            // numeric 12.34: 2 base-10000 digits, weight 0, sign +, scale 2, digits 12 and 3400
            .binary(PgOutputFixtures.buffer("0002 0000 0000 0002 000c 0d48")),
            .binary(ByteBuffer(string: "first")),
            .binary(PgOutputFixtures.buffer("0002caa8a384be40")),  // µs since 2000 of 2024-11-24 15:00:00.123456 UTC
            .binary(PgOutputFixtures.buffer("01")),
            .binary(PgOutputFixtures.buffer("01") + ByteBuffer(string: #"{"a": 1}"#)),  // jsonb version 1, then text
            .binary(ByteBuffer(string: "happy")),
            .null,
        ]
        #expect(message == .insert(.init(relationOID: Self.payments, newTuple: TupleData(columns: expected))))
    }

    @Test func decodesInsertOfAToastedValueInFull() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.insertPaymentWithToastedDoc)
        let expected: [TupleValue] = [
            .text("2"), .text("5.00"), .null, .null, .null, .null, .null, .text(String(repeating: "x", count: 3000)),
        ]
        #expect(message == .insert(.init(relationOID: Self.payments, newTuple: TupleData(columns: expected))))
    }

    @Test func keepsUnchangedToastDistinctFromNull() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.updateKeepingToastedDoc)
        // No old tuple: the key did not change and the replica identity is the default one.
        let expected: [TupleValue] = [.text("2"), .text("99.99"), .null, .null, .null, .null, .null, .unchangedToast]
        #expect(
            message == .update(.init(relationOID: Self.payments, oldTuple: nil, newTuple: TupleData(columns: expected)))
        )
    }

    @Test func decodesPrimaryKeyUpdateWithTheOldKey() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.updatePrimaryKey)
        let oldKey = TupleData(columns: [.text("1")] + Array(repeating: .null, count: 7))
        #expect(
            message
                == .update(
                    .init(
                        relationOID: Self.payments, oldTuple: .key(oldKey),
                        newTuple: TupleData(columns: [.text("3")] + Self.paymentOneAfter))))
    }

    @Test func decodesDeleteByKey() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.deletePayment)
        let oldKey = TupleData(columns: [.text("3")] + Array(repeating: .null, count: 7))
        #expect(message == .delete(.init(relationOID: Self.payments, oldTuple: .key(oldKey))))
    }

    @Test func decodesChangesOfAFullReplicaIdentityTable() throws {
        let insert = try PgOutputFixtures.decode(PgOutputFixtures.insertAuditLog)
        #expect(
            insert
                == .insert(.init(relationOID: Self.auditLog, newTuple: TupleData(columns: [.text("1"), .text("a")]))))

        let update = try PgOutputFixtures.decode(PgOutputFixtures.updateAuditLog)
        #expect(
            update
                == .update(
                    .init(
                        relationOID: Self.auditLog, oldTuple: .fullRow(TupleData(columns: [.text("1"), .text("a")])),
                        newTuple: TupleData(columns: [.text("1"), .text("b")]))))

        let delete = try PgOutputFixtures.decode(PgOutputFixtures.deleteAuditLog)
        #expect(
            delete
                == .delete(
                    .init(relationOID: Self.auditLog, oldTuple: .fullRow(TupleData(columns: [.text("1"), .text("b")]))))
        )
    }

    @Test func decodesNullColumn() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.insertAuditLogWithNull)
        #expect(
            message == .insert(.init(relationOID: Self.auditLog, newTuple: TupleData(columns: [.text("7"), .null]))))
    }

    @Test func decodesInsertAfterAddColumnWithTheNewColumn() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.insertPaymentAfterAddColumn)
        let expected: [TupleValue] = [.text("4"), .text("1.50")] + Array(repeating: .null, count: 6) + [.text("EUR")]
        #expect(message == .insert(.init(relationOID: Self.payments, newTuple: TupleData(columns: expected))))
    }

    @Test func decodesTruncateOfSeveralTablesWithCascade() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.truncateCascade)
        #expect(message == .truncate(.init(options: .cascade, relationOIDs: [Self.payments, Self.auditLog])))
    }

    @Test func decodesTruncateWithRestartIdentity() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.truncateRestartIdentity)
        #expect(message == .truncate(.init(options: .restartIdentity, relationOIDs: [Self.payments])))
    }
}

extension ByteBuffer {
    fileprivate static func + (lhs: ByteBuffer, rhs: ByteBuffer) -> ByteBuffer {
        var joined = lhs
        joined.writeImmutableBuffer(rhs)
        return joined
    }
}
