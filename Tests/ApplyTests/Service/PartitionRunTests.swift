import Shared
import Testing

@testable import Apply

@Suite("Next offsets per partition")
struct PartitionRunTests {
    @Test func interleavedPartitionsEachGetTheOffsetAfterTheirLastMessage() {
        let a = TopicPartition(topic: "p.public.a", partition: 0)
        let b = TopicPartition(topic: "p.public.a", partition: 1)
        let c = TopicPartition(topic: "p.public.c", partition: 0)
        let messages: [(TopicPartition, Int64)] = [(a, 5), (a, 6), (b, 0), (a, 7), (c, 40), (c, 41), (b, 1), (a, 8)]
        var nextOffsets: [TopicPartition: Int64] = [:]
        var run = PartitionRun()
        for (partition, offset) in messages { run.note(partition, offset: offset, into: &nextOffsets) }
        run.store(into: &nextOffsets)
        #expect(nextOffsets == [a: 9, b: 2, c: 42])
    }

    @Test func aLowerOffsetNeverMovesAPartitionBack() {
        let a = TopicPartition(topic: "p.public.a", partition: 0)
        var nextOffsets: [TopicPartition: Int64] = [a: 20]
        var run = PartitionRun()
        run.note(a, offset: 3, into: &nextOffsets)
        run.store(into: &nextOffsets)
        #expect(nextOffsets == [a: 20])
    }

    @Test func nothingNotedStoresNothing() {
        var nextOffsets: [TopicPartition: Int64] = [:]
        PartitionRun().store(into: &nextOffsets)
        #expect(nextOffsets.isEmpty)
    }
}
