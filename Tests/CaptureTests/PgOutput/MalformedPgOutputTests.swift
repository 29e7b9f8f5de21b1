import NIOCore
import Testing

@testable import Capture

@Suite("Malformed pgoutput messages name the message, the field and the byte offset")
struct MalformedPgOutputTests {
    /// Where each field of the `audit_log` Relation fixture starts: `R`, OID, "public", "audit_log", `f`, 2 columns,
    /// then flags, name, type OID and type modifier of `id` and of `body`. 51 bytes in all.
    static let relationFieldStarts: [(offset: Int, field: String)] = [
        (1, "relation OID"), (5, "namespace"), (12, "relation name"), (22, "replica identity"), (23, "column count"),
        (25, "column 1 flags"), (26, "column 1 name"), (29, "column 1 type OID"), (33, "column 1 type modifier"),
        (37, "column 2 flags"), (38, "column 2 name"), (43, "column 2 type OID"), (47, "column 2 type modifier"),
    ]

    /// Where each field of the audit_log Insert fixture `(1, 'a')` starts. 20 bytes in all.
    static let insertFieldStarts: [(offset: Int, field: String)] = [
        (1, "relation OID"), (5, "new tuple marker"), (6, "new tuple column count"),
        (8, "new tuple column 1 kind"), (9, "new tuple column 1 value length"), (13, "new tuple column 1 value"),
        (14, "new tuple column 2 kind"), (15, "new tuple column 2 value length"), (19, "new tuple column 2 value"),
    ]

    @Test(arguments: 0..<51)
    func relationTruncatedAnywhereNamesTheField(length: Int) {
        let message = Self.prefix(of: PgOutputFixtures.relationAuditLog, length: length)
        #expect(Self.decodingFailure(message) == Self.expectedTruncation("Relation", length, Self.relationFieldStarts))
    }

    @Test(arguments: 0..<20)
    func insertTruncatedAnywhereNamesTheField(length: Int) {
        let message = Self.prefix(of: PgOutputFixtures.insertAuditLog, length: length)
        #expect(Self.decodingFailure(message) == Self.expectedTruncation("Insert", length, Self.insertFieldStarts))
    }

    @Test func truncationInsideALaterColumnCountsColumnsFromOne() {
        let message = Self.prefix(of: PgOutputFixtures.relationPayments, length: 55)
        #expect(Self.decodingFailure(message) == "Relation: truncated in column 3 name at byte 53")
    }

    @Test func offsetsCountFromTheTypeByteInsideALargerBuffer() {
        var message = ByteBuffer(string: "xyz")
        message.writeImmutableBuffer(Self.prefix(of: PgOutputFixtures.relationAuditLog, length: 40))
        message.moveReaderIndex(forwardBy: 3)
        #expect(Self.decodingFailure(message) == "Relation: truncated in column 2 name at byte 38")
    }

    @Test func unknownMessageTagIsNamed() {
        #expect(Self.decodingFailure(ByteBuffer(string: "Z")) == "pgoutput: unknown message tag 'Z' (0x5A) at byte 0")
        #expect(Self.decodingFailure(ByteBuffer(bytes: [0, 1])) == "pgoutput: unknown message tag 0x00 at byte 0")
    }

    @Test func unknownTupleValueKindIsNamed() {
        let message = Self.replacing(byteAt: 14, with: "x", in: PgOutputFixtures.insertAuditLog)
        #expect(Self.decodingFailure(message) == "Insert: unknown new tuple column 2 kind 'x' (0x78) at byte 14")
    }

    @Test func negativeValueLengthIsRejected() {
        var message = PgOutputFixtures.buffer(PgOutputFixtures.insertAuditLog)
        message.setInteger(Int32(-1), at: 9)
        #expect(Self.decodingFailure(message) == "Insert: negative new tuple column 1 value length -1 at byte 9")
    }

    @Test func unknownReplicaIdentityIsNamed() {
        let message = Self.replacing(byteAt: 22, with: "x", in: PgOutputFixtures.relationAuditLog)
        #expect(Self.decodingFailure(message) == "Relation: unknown replica identity 'x' (0x78) at byte 22")
    }

    @Test func invalidUTF8InANameIsRejected() {
        var message = PgOutputFixtures.buffer(PgOutputFixtures.relationAuditLog)
        message.setInteger(UInt8(0xFF), at: 14)
        #expect(Self.decodingFailure(message) == "Relation: invalid UTF-8 in relation name at byte 12")
    }

    @Test func tupleMarkersOutOfPlaceAreNamed() {
        let insertWithKey = Self.replacing(byteAt: 5, with: "K", in: PgOutputFixtures.insertAuditLog)
        #expect(Self.decodingFailure(insertWithKey) == "Insert: unknown new tuple marker 'K' (0x4B) at byte 5")

        let updateWithoutTuple = Self.replacing(byteAt: 5, with: "X", in: PgOutputFixtures.updateAuditLog)
        #expect(
            Self.decodingFailure(updateWithoutTuple) == "Update: unknown old or new tuple marker 'X' (0x58) at byte 5")

        let updateWithTwoOldTuples = Self.replacing(byteAt: 20, with: "K", in: PgOutputFixtures.updateAuditLog)
        #expect(
            Self.decodingFailure(updateWithTwoOldTuples) == "Update: unknown new tuple marker 'K' (0x4B) at byte 20")

        let deleteWithNewTuple = Self.replacing(byteAt: 5, with: "N", in: PgOutputFixtures.deleteAuditLog)
        #expect(Self.decodingFailure(deleteWithNewTuple) == "Delete: unknown old tuple marker 'N' (0x4E) at byte 5")
    }

    @Test func trailingBytesRevealAnotherProtocolVersion() {
        var message = PgOutputFixtures.buffer(PgOutputFixtures.begin)
        message.writeInteger(UInt32(771))
        #expect(Self.decodingFailure(message) == "Begin: 4 unexpected bytes after the last field at byte 21")
    }

    // MARK: - Helpers

    private static func decodingFailure(_ message: ByteBuffer) -> String? {
        var message = message
        do {
            _ = try PgOutputMessage.decode(from: &message)
            return nil
        } catch {
            return error.description
        }
    }

    private static func prefix(of fixture: String, length: Int) -> ByteBuffer {
        let whole = PgOutputFixtures.buffer(fixture)
        return whole.getSlice(at: whole.readerIndex, length: length) ?? whole
    }

    private static func replacing(byteAt offset: Int, with letter: Unicode.Scalar, in fixture: String) -> ByteBuffer {
        var message = PgOutputFixtures.buffer(fixture)
        message.setInteger(UInt8(ascii: letter), at: offset)
        return message
    }

    /// The error a message cut after `length` bytes must report: the field that starts at or before the cut.
    private static func expectedTruncation(
        _ messageName: String, _ length: Int, _ fieldStarts: [(offset: Int, field: String)]
    ) -> String {
        guard let (offset, field) = fieldStarts.last(where: { $0.offset <= length }) else {
            return "pgoutput: truncated in message tag at byte 0"
        }
        return "\(messageName): truncated in \(field) at byte \(offset)"
    }
}
