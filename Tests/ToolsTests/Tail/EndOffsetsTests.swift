import Shared
import Testing

@testable import Tools

@Suite struct EndOffsetsTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test func aPartitionIsReadWhenTheMessageBeforeItsEndArrives() {
        var ends = EndOffsets(starts: [p0: 5, p1: 3], ends: [p0: 8, p1: 3])
        #expect(!ends.allReached && ends.hasReached(p1) && !ends.hasReached(p0))
        let reads = [6, 7, 8].map { ends.read(p0, offset: $0) }
        #expect(reads == [false, true, false])  // the message before the end reaches it; later ones change nothing
        #expect(ends.allReached)
    }

    @Test func givingUpReachesEverything() {
        var ends = EndOffsets(starts: [p0: 0], ends: [p0: 100])
        ends.giveUp()
        #expect(ends.allReached)
    }
}
