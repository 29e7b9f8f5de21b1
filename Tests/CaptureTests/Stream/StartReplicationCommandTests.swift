import Shared
import Testing

@testable import Capture

@Suite("START_REPLICATION names the slot and the publication exactly")
struct StartReplicationCommandTests {
    @Test func mixedCaseAndQuotesSurviveIdentifierListParsing() {
        let lsn = LSN(rawValue: 0x16_B374D848)
        #expect(
            ReplicationStreamer.startReplicationCommand(slot: "ferry_shop", publication: "MyPub", from: lsn)
                == #"START_REPLICATION SLOT "ferry_shop" LOGICAL 16/B374D848 (proto_version '1', publication_names '"MyPub"', messages 'true')"#)
        #expect(
            ReplicationStreamer.startReplicationCommand(slot: "s", publication: #"it's "a", b"#, from: lsn)
                .contains(#"publication_names '"it''s ""a"", b"', "#))
    }
}
