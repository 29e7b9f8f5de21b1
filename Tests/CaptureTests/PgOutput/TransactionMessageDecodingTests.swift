import NIOCore
import Shared
import Testing

@testable import Capture

@Suite("pgoutput transaction messages: Begin, Commit, Origin, Message")
struct TransactionMessageDecodingTests {
    @Test func decodesBegin() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.begin)
        #expect(
            message
                == .begin(
                    .init(
                        finalLSN: LSN(rawValue: 0x564_24C0),
                        commitTimestamp: PostgresTimestamp(microsecondsSince2000: 848_891_177_600_160),
                        xid: 771)))
    }

    @Test func decodesCommitOfTheSameTransaction() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.commit)
        #expect(
            message
                == .commit(
                    .init(
                        flags: 0,
                        commitLSN: LSN(rawValue: 0x564_24C0),
                        endLSN: LSN(rawValue: 0x564_24F0),
                        commitTimestamp: PostgresTimestamp(microsecondsSince2000: 848_891_177_600_160))))
    }

    @Test func decodesOriginOfAReplayedTransaction() throws {
        let begin = try PgOutputFixtures.decode(PgOutputFixtures.beginReplayedTransaction)
        guard case .begin(let fields) = begin else {
            Issue.record("expected Begin, got \(begin)")
            return
        }
        #expect(fields.finalLSN.description == "0/56469C8")
        #expect(fields.xid == 785)
        // pg_replication_origin_xact_setup('0/ABCDEF', '2024-11-24 15:00:00+00') set the commit time.
        #expect(fields.commitTimestamp.unixMilliseconds == 1_732_460_400_000)

        let origin = try PgOutputFixtures.decode(PgOutputFixtures.origin)
        #expect(origin == .origin(.init(originCommitLSN: LSN(rawValue: 0xAB_CDEF), name: "ferry_origin")))
    }

    @Test func decodesTransactionalLogicalMessage() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.transactionalMessage)
        #expect(
            message
                == .logicalMessage(
                    .init(
                        isTransactional: true, lsn: LSN(rawValue: 0x564_66A8), prefix: "ferry",
                        content: ByteBuffer(string: "hello"))))
    }

    @Test func decodesNonTransactionalLogicalMessage() throws {
        let message = try PgOutputFixtures.decode(PgOutputFixtures.nonTransactionalMessage)
        #expect(
            message
                == .logicalMessage(
                    .init(
                        isTransactional: false, lsn: LSN(rawValue: 0x564_6718), prefix: "ferry",
                        content: ByteBuffer(string: "hello"))))
    }
}
