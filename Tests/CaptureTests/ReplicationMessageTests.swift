import NIOCore
import Shared
import Testing

@testable import Capture

@Suite("Streaming-replication protocol messages")
struct ReplicationMessageTests {
    @Test func decodesXLogDataWithItsPayload() throws {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(ascii: "w"))
        buffer.writeInteger(UInt64(0x0000_0001_0000_00A0))
        buffer.writeInteger(UInt64(0x0000_0001_0000_00FF))
        buffer.writeInteger(Int64(789_000_000))
        buffer.writeString("Bpayload")
        guard case .xLogData(let data) = try ReplicationMessage.decode(from: &buffer) else {
            Issue.record("expected XLogData")
            return
        }
        #expect(data.walStart.description == "1/A0")
        #expect(data.walEnd.description == "1/FF")
        #expect(data.serverTime.microsecondsSince2000 == 789_000_000)
        #expect(String(buffer: data.data) == "Bpayload")
    }

    @Test func decodesKeepaliveAndItsReplyRequest() throws {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(ascii: "k"))
        buffer.writeInteger(UInt64(0x16B_6F40))
        buffer.writeInteger(Int64(-5))
        buffer.writeInteger(UInt8(1))
        let message = try ReplicationMessage.decode(from: &buffer)
        #expect(
            message
                == .primaryKeepalive(
                    PrimaryKeepalive(
                        walEnd: LSN(rawValue: 0x16B_6F40), serverTime: PostgresTimestamp(microsecondsSince2000: -5),
                        replyRequested: true)))
    }

    @Test(arguments: [
        ([], "empty message"),
        ([UInt8(ascii: "x")], "unknown message tag 0x78"),
        ([UInt8(ascii: "w"), 0, 0, 0], "header shorter than 24 bytes"),
        ([UInt8(ascii: "k")] + [UInt8](repeating: 0, count: 16), "shorter than 17 bytes"),
    ])
    func rejectsTruncatedOrUnknownMessages(bytes: [UInt8], reason: String) {
        var buffer = ByteBuffer(bytes: bytes)
        #expect(throws: ReplicationDecodingError.self) { try ReplicationMessage.decode(from: &buffer) }
        var again = ByteBuffer(bytes: bytes)
        do {
            _ = try ReplicationMessage.decode(from: &again)
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func encodesStandbyStatusUpdateAsThePostgresDocsLayItOut() {
        let update = StandbyStatusUpdate(
            written: LSN(rawValue: 0x0102), flushed: LSN(rawValue: 0x0304), applied: LSN(rawValue: 0x0506),
            clientTime: PostgresTimestamp(microsecondsSince2000: 0x0708), replyRequested: true)
        let bytes = Array(update.encode().readableBytesView)
        #expect(bytes.count == 34)
        #expect(bytes[0] == UInt8(ascii: "r"))
        #expect(Array(bytes[1...8]) == [0, 0, 0, 0, 0, 0, 0x01, 0x02])
        #expect(Array(bytes[9...16]) == [0, 0, 0, 0, 0, 0, 0x03, 0x04])
        #expect(Array(bytes[17...24]) == [0, 0, 0, 0, 0, 0, 0x05, 0x06])
        #expect(Array(bytes[25...32]) == [0, 0, 0, 0, 0, 0, 0x07, 0x08])
        #expect(bytes[33] == 1)
    }

    @Test func convertsBetweenUnixAndPostgresEpochs() {
        // 2000-01-01T00:00:00Z is 946684800 s after the Unix epoch.
        #expect(PostgresTimestamp(unixMilliseconds: 946_684_800_000).microsecondsSince2000 == 0)
        #expect(PostgresTimestamp(microsecondsSince2000: 1_500_000).unixMilliseconds == 946_684_801_500)
    }
}
