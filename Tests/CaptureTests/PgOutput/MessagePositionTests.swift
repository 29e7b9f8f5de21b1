import Shared
import Testing

@testable import Capture

@Suite("pgoutput messages placed against a consistent point (where a catch-up stream stops)")
struct MessagePositionTests {
    @Test func aTransactionIsPastThePointItCommitsAtOrAfter() throws {
        let begin = try PgOutputFixtures.decode(PgOutputFixtures.begin)  // commits at 0/56424C0
        #expect(begin.isPast(LSN(rawValue: 0x564_24C0)))
        #expect(begin.isPast(LSN(rawValue: 0x564_24BF)))
        #expect(!begin.isPast(LSN(rawValue: 0x564_24C1)))
    }

    @Test func onlyAMessageOutsideTransactionsMarksAPosition() throws {
        let outside = try PgOutputFixtures.decode(PgOutputFixtures.nonTransactionalMessage)  // at 0/5646718
        #expect(outside.isPast(LSN(rawValue: 0x564_6718)))
        #expect(!outside.isPast(LSN(rawValue: 0x564_6719)))
        // A transactional message belongs to its transaction, whose Begin already decided.
        let inside = try PgOutputFixtures.decode(PgOutputFixtures.transactionalMessage)
        #expect(!inside.isPast(LSN(rawValue: 0)))
        // Nor do a transaction's other messages.
        let commit = try PgOutputFixtures.decode(PgOutputFixtures.commit)
        #expect(!commit.isPast(LSN(rawValue: 0)))
    }
}
